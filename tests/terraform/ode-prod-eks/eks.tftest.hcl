# ode-prod-eks: ODE's EKS cluster in prod (Kubernetes 1.35: the document's 1.29 is past EKS support) (365-day control-plane logs, 30-day key deletion window).
# The document's numbers: 2 system nodes (t3.medium) and 3 worker nodes (t3.large).
# The stack's own asserts; tests/terraform/_layers/eks/ holds the shared ones.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "eks" {
  command = apply

  assert {
    condition     = aws_eks_cluster.eks_cluster.name == "ode-prod-cluster" && aws_eks_cluster.eks_cluster.version == "1.35" && aws_eks_cluster.eks_cluster.upgrade_policy[0].support_type == "EXTENDED"
    error_message = "The cluster must be ode-prod-cluster on Kubernetes 1.35, kept on it by extended support"
  }

  assert {
    condition     = toset(aws_eks_cluster.eks_cluster.enabled_cluster_log_types) == toset(["api", "audit", "authenticator", "controllerManager", "scheduler"]) && aws_cloudwatch_log_group.eks_log_group.retention_in_days == 365
    error_message = "All five control-plane log types must be kept 365 days"
  }

  assert {
    condition     = aws_cloudwatch_log_group.eks_container_logs_log_group_application.name == "/aws/containerinsights/ode-prod-cluster/application" && aws_cloudwatch_log_group.eks_container_logs_log_group_application.retention_in_days == 365
    error_message = "The pods' logs must be kept 365 days, in the cluster's application group"
  }

  assert {
    condition     = aws_kms_key.eks_secrets_key.deletion_window_in_days == 30
    error_message = "The secrets key's deletion window must be 30 days"
  }

  assert {
    condition     = toset(aws_eks_cluster.eks_cluster.vpc_config[0].subnet_ids) == toset([for az in ["a", "b", "c"] : data.terraform_remote_state.cross-stack-reference-input-ode-prod-network.outputs["cross-stack-output-aws_subnet_network_private_us-east-1${az}_id"]])
    error_message = "The control plane must sit in the network stack's private subnets"
  }

  assert {
    condition     = !aws_eks_cluster.eks_cluster.vpc_config[0].endpoint_public_access && aws_eks_cluster.eks_cluster.vpc_config[0].endpoint_private_access
    error_message = "In prod the API endpoint must be private only"
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.eks_cluster_sg_ingress_443_from_private_access.security_group_id == aws_security_group.eks_cluster_sg_group.id && aws_vpc_security_group_ingress_rule.eks_cluster_sg_ingress_443_from_private_access.from_port == 443 && aws_vpc_security_group_ingress_rule.eks_cluster_sg_ingress_443_from_private_access.to_port == 443 && aws_vpc_security_group_ingress_rule.eks_cluster_sg_ingress_443_from_private_access.cidr_ipv4 == "192.168.100.0/24"
    error_message = "The private endpoint must admit the given CIDRs (eks.endpoint.privateAccessCidrs) on 443, so the workloads stack can be applied"
  }
}
