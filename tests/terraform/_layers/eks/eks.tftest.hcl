# Asserts every EKS stack shares, whatever its node groups, add-ons or endpoint settings.
# The harness runs them, with the stack's own tests/terraform/<stack>/ asserts, against the mock provider.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "eks_layer" {
  command = apply

  assert {
    condition     = contains(aws_eks_cluster.eks_cluster.encryption_config[0].resources, "secrets") && aws_eks_cluster.eks_cluster.encryption_config[0].provider[0].key_arn == aws_kms_key.eks_secrets_key.arn
    error_message = "Kubernetes Secrets must be envelope-encrypted with the cluster's own KMS key"
  }

  assert {
    condition     = aws_kms_key.eks_secrets_key.enable_key_rotation && aws_kms_alias.eks_secrets_key_alias.target_key_id == aws_kms_key.eks_secrets_key.key_id
    error_message = "The secrets key must rotate and carry its alias"
  }

  assert {
    condition     = jsondecode(aws_iam_role_policy.eks_cluster_role_policy.policy).Statement[0].Resource == [aws_kms_key.eks_secrets_key.arn] && aws_iam_role_policy.eks_cluster_role_policy.role == aws_iam_role.eks_cluster_role_role.id
    error_message = "The cluster role may use only the secrets key"
  }

  assert {
    condition     = jsondecode(aws_iam_role.eks_cluster_role_role.assume_role_policy).Statement[0].Principal.Service == "eks.amazonaws.com" && aws_eks_cluster.eks_cluster.role_arn == aws_iam_role.eks_cluster_role_role.arn
    error_message = "The cluster must run as its own role, assumable only by EKS"
  }

  assert {
    condition     = aws_cloudwatch_log_group.eks_log_group.name == "/aws/eks/${aws_eks_cluster.eks_cluster.name}/cluster" && aws_cloudwatch_log_group.eks_log_group.retention_in_days > 0
    error_message = "Control-plane logs must go to the cluster's log group, with a finite retention"
  }

  assert {
    condition     = aws_eks_cluster.eks_cluster.vpc_config[0].endpoint_private_access && contains(aws_eks_cluster.eks_cluster.vpc_config[0].security_group_ids, aws_security_group.eks_cluster_sg_group.id)
    error_message = "The API must be reachable privately, through the cluster's own security group"
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.eks_cluster_sg_ingress_443_from_node_sg.security_group_id == aws_security_group.eks_cluster_sg_group.id && aws_vpc_security_group_ingress_rule.eks_cluster_sg_ingress_443_from_node_sg.referenced_security_group_id == aws_security_group.eks_node_sg_group.id && aws_vpc_security_group_ingress_rule.eks_cluster_sg_ingress_443_from_node_sg.from_port == 443
    error_message = "The nodes must reach the API on 443"
  }

  assert {
    condition     = aws_iam_openid_connect_provider.eks_oidc_provider.url == aws_eks_cluster.eks_cluster.identity[0].oidc[0].issuer && aws_iam_openid_connect_provider.eks_oidc_provider.client_id_list == toset(["sts.amazonaws.com"])
    error_message = "IRSA needs an OIDC provider for the cluster's issuer, for STS"
  }

  assert {
    condition     = toset([for a in [aws_iam_role_policy_attachment.eks_node_role_AmazonEKSWorkerNodePolicy, aws_iam_role_policy_attachment.eks_node_role_AmazonEKS_CNI_Policy, aws_iam_role_policy_attachment.eks_node_role_AmazonEC2ContainerRegistryReadOnly] : a.role]) == toset([aws_iam_role.eks_node_role_role.name])
    error_message = "The node role must carry the three standard node policies"
  }

  assert {
    condition     = output.cluster_endpoint == aws_eks_cluster.eks_cluster.endpoint && output.oidc_provider_arn == aws_iam_openid_connect_provider.eks_oidc_provider.arn && output.node_security_group_id == aws_security_group.eks_node_sg_group.id
    error_message = "The stack must export the endpoint, the OIDC provider and the node security group"
  }
}
