# ode-dev-eks: ODE's EKS 1.35 cluster in dev (30-day control-plane logs, 7-day key deletion window).
# The document's numbers: 2 system nodes (t3.medium) and 3 worker nodes (t3.large).
# The stack's own asserts; tests/terraform/_layers/eks/ holds the shared ones.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "eks" {
  command = apply

  assert {
    condition     = aws_eks_cluster.eks_cluster.name == "ode-dev-cluster" && aws_eks_cluster.eks_cluster.version == "1.35" && aws_eks_cluster.eks_cluster.upgrade_policy[0].support_type == "EXTENDED"
    error_message = "The cluster must be ode-dev-cluster on Kubernetes 1.35, kept on it by extended support"
  }

  assert {
    condition     = toset(aws_eks_cluster.eks_cluster.enabled_cluster_log_types) == toset(["api", "audit", "authenticator", "controllerManager", "scheduler"]) && aws_cloudwatch_log_group.eks_log_group.retention_in_days == 30
    error_message = "All five control-plane log types must be kept 30 days"
  }

  assert {
    condition     = aws_cloudwatch_log_group.eks_container_logs_log_group_application.name == "/aws/containerinsights/ode-dev-cluster/application" && aws_cloudwatch_log_group.eks_container_logs_log_group_application.retention_in_days == 30
    error_message = "The pods' logs must be kept 30 days, in the cluster's application group"
  }

  assert {
    condition     = aws_kms_key.eks_secrets_key.deletion_window_in_days == 7
    error_message = "The secrets key's deletion window must be 7 days"
  }

  assert {
    condition     = toset(aws_eks_cluster.eks_cluster.vpc_config[0].subnet_ids) == toset([for az in ["a", "b", "c"] : data.terraform_remote_state.cross-stack-reference-input-ode-dev-network.outputs["cross-stack-output-aws_subnet_network_private_us-east-1${az}_id"]])
    error_message = "The control plane must sit in the network stack's private subnets"
  }

  assert {
    condition     = aws_eks_cluster.eks_cluster.vpc_config[0].endpoint_public_access && aws_eks_cluster.eks_cluster.vpc_config[0].public_access_cidrs == toset(["0.0.0.0/0"])
    error_message = "In dev the API endpoint is also public, from anywhere"
  }
}
