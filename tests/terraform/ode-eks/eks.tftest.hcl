# ode's eks stack in every environment: the asserts its dev and prod stacks share.
# Each environment's own asserts are in tests/terraform/ode-<environment>-eks/.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "eks" {
  command = apply

  assert {
    condition     = aws_eks_cluster.eks_cluster.access_config[0].authentication_mode == "API_AND_CONFIG_MAP" && aws_eks_cluster.eks_cluster.access_config[0].bootstrap_cluster_creator_admin_permissions
    error_message = "Access entries (API_AND_CONFIG_MAP) with the creator as admin"
  }

  assert {
    condition     = aws_eks_node_group.eks_nodes_system_node_group.instance_types == tolist(["t3.medium"]) && aws_eks_node_group.eks_nodes_system_node_group.scaling_config[0].desired_size == 2 && aws_eks_node_group.eks_nodes_system_node_group.scaling_config[0].min_size == 2 && aws_eks_node_group.eks_nodes_system_node_group.scaling_config[0].max_size == 4
    error_message = "The system pool must be 2 t3.medium nodes (2-4)"
  }

  assert {
    condition     = aws_eks_node_group.eks_nodes_worker_node_group.instance_types == tolist(["t3.large"]) && aws_eks_node_group.eks_nodes_worker_node_group.scaling_config[0].desired_size == 3 && aws_eks_node_group.eks_nodes_worker_node_group.scaling_config[0].min_size == 3 && aws_eks_node_group.eks_nodes_worker_node_group.scaling_config[0].max_size == 10
    error_message = "The worker pool must be 3 t3.large nodes (3-10)"
  }

  assert {
    condition     = [for t in aws_eks_node_group.eks_nodes_system_node_group.taint : "${t.key}=${t.value}:${t.effect}"] == ["CriticalAddonsOnly=true:NO_SCHEDULE"] && aws_eks_node_group.eks_nodes_system_node_group.labels["node-pool"] == "system" && length(aws_eks_node_group.eks_nodes_worker_node_group.taint) == 0 && aws_eks_node_group.eks_nodes_worker_node_group.labels["node-pool"] == "worker"
    error_message = "Only the system pool is tainted for cluster add-ons; both pools carry their node-pool label"
  }

  assert {
    condition     = alltrue([for g in [aws_eks_node_group.eks_nodes_system_node_group, aws_eks_node_group.eks_nodes_worker_node_group] : g.subnet_ids == aws_eks_cluster.eks_cluster.vpc_config[0].subnet_ids && g.node_role_arn == aws_iam_role.eks_node_role_role.arn && g.cluster_name == aws_eks_cluster.eks_cluster.name && g.version == aws_eks_cluster.eks_cluster.version])
    error_message = "Node groups must run in the private subnets, as the node role, on the cluster's version"
  }

  assert {
    condition     = aws_eks_node_group.eks_nodes_system_node_group.launch_template[0].id == aws_launch_template.eks_nodes_system_launch_template.id && aws_eks_node_group.eks_nodes_worker_node_group.launch_template[0].id == aws_launch_template.eks_nodes_worker_launch_template.id
    error_message = "Each node group must launch from its own launch template"
  }

  assert {
    condition     = alltrue([for lt in [aws_launch_template.eks_nodes_system_launch_template, aws_launch_template.eks_nodes_worker_launch_template] : lt.metadata_options[0].http_tokens == "required" && lt.metadata_options[0].http_put_response_hop_limit == 2 && lt.metadata_options[0].http_endpoint == "enabled"])
    error_message = "Nodes must require IMDSv2, with a hop limit of 2"
  }

  assert {
    condition     = alltrue([for lt in [aws_launch_template.eks_nodes_system_launch_template, aws_launch_template.eks_nodes_worker_launch_template] : lt.block_device_mappings[0].ebs[0].encrypted == "true" && lt.block_device_mappings[0].ebs[0].volume_type == "gp3" && lt.block_device_mappings[0].ebs[0].volume_size == 50])
    error_message = "Node root volumes must be encrypted gp3, 50 GiB"
  }

  assert {
    condition     = alltrue([for lt in [aws_launch_template.eks_nodes_system_launch_template, aws_launch_template.eks_nodes_worker_launch_template] : toset(lt.vpc_security_group_ids) == toset([aws_eks_cluster.eks_cluster.vpc_config[0].cluster_security_group_id, aws_security_group.eks_node_sg_group.id])])
    error_message = "Nodes must carry the cluster's primary security group and the node security group, nothing else"
  }

  assert {
    condition     = toset([for a in [aws_eks_addon.eks_addon_vpc-cni, aws_eks_addon.eks_addon_kube-proxy, aws_eks_addon.eks_addon_coredns, aws_eks_addon.eks_addon_eks-pod-identity-agent, aws_eks_addon.eks_addon_metrics-server] : a.addon_name if a.cluster_name == aws_eks_cluster.eks_cluster.name && a.resolve_conflicts_on_create == "OVERWRITE"]) == toset(["vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent", "metrics-server"])
    error_message = "The core add-ons and metrics-server must be managed by EKS on this cluster"
  }
}

run "container_logs" {
  command = apply

  assert {
    condition     = aws_eks_addon.eks_container_logs_addon.addon_name == "amazon-cloudwatch-observability" && aws_eks_addon.eks_container_logs_addon.cluster_name == aws_eks_cluster.eks_cluster.name && [for a in aws_eks_addon.eks_container_logs_addon.pod_identity_association : "${a.service_account}=${a.role_arn}"] == ["cloudwatch-agent=${aws_iam_role.eks_container_logs_role_role.arn}"]
    error_message = "The pods' logs must be shipped by the amazon-cloudwatch-observability add-on, as its own role bound to amazon-cloudwatch/cloudwatch-agent"
  }

  assert {
    condition     = jsondecode(aws_iam_role.eks_container_logs_role_role.assume_role_policy).Statement[0].Principal.Service == "pods.eks.amazonaws.com" && jsondecode(aws_iam_role.eks_container_logs_role_role.assume_role_policy).Statement[0].Action == ["sts:AssumeRole", "sts:TagSession"]
    error_message = "Only EKS Pod Identity may assume (and tag) the container logs' role"
  }

  assert {
    condition     = alltrue([for g in [aws_cloudwatch_log_group.eks_container_logs_log_group_application, aws_cloudwatch_log_group.eks_container_logs_log_group_dataplane, aws_cloudwatch_log_group.eks_container_logs_log_group_host, aws_cloudwatch_log_group.eks_container_logs_log_group_performance] : startswith(g.name, "/aws/containerinsights/${aws_eks_cluster.eks_cluster.name}/") && g.retention_in_days == aws_cloudwatch_log_group.eks_log_group.retention_in_days && g.kms_key_id == aws_kms_key.eks_container_logs_key_key.arn])
    error_message = "The add-on's four log groups must be the cluster's, kept as long as the control-plane logs, encrypted with their own key"
  }

  assert {
    condition     = aws_kms_key.eks_container_logs_key_key.enable_key_rotation && aws_kms_alias.eks_container_logs_key_alias.target_key_id == aws_kms_key.eks_container_logs_key_key.key_id
    error_message = "The container logs' key must rotate and carry its alias"
  }

  assert {
    condition     = length([for s in jsondecode(aws_iam_role_policy.eks_container_logs_role_policy.policy).Statement : s if contains(flatten([s.Action]), "logs:CreateLogGroup") || contains(flatten([s.Action]), "logs:PutRetentionPolicy")]) == 0 && aws_iam_role_policy.eks_container_logs_role_policy.role == aws_iam_role.eks_container_logs_role_role.id
    error_message = "The add-on's identity may write its groups, never create a log group or change a retention"
  }
}

run "pod_identities" {
  command = apply

  assert {
    condition     = alltrue([for a in [aws_eks_pod_identity_association.pod_api_association, aws_eks_pod_identity_association.pod_worker_association, aws_eks_pod_identity_association.pod_viewer_association] : a.cluster_name == aws_eks_cluster.eks_cluster.name && a.namespace == "ode"]) && aws_eks_pod_identity_association.pod_api_association.service_account == "ode-api" && aws_eks_pod_identity_association.pod_api_association.role_arn == aws_iam_role.pod_api_role_role.arn && aws_eks_pod_identity_association.pod_worker_association.service_account == "ode-worker" && aws_eks_pod_identity_association.pod_viewer_association.service_account == "ode-viewer"
    error_message = "Each app's service account in namespace ode must be bound to its own role"
  }

  assert {
    condition     = jsondecode(aws_iam_role.pod_api_role_role.assume_role_policy).Statement[0].Principal.Service == "pods.eks.amazonaws.com" && jsondecode(aws_iam_role.pod_api_role_role.assume_role_policy).Statement[0].Action == ["sts:AssumeRole", "sts:TagSession"]
    error_message = "Only EKS Pod Identity may assume (and tag) the pods' roles"
  }

  assert {
    condition     = aws_eks_pod_identity_association.load_balancer_controller_identity_association.namespace == "kube-system" && aws_eks_pod_identity_association.load_balancer_controller_identity_association.service_account == "aws-load-balancer-controller" && aws_iam_role_policy_attachment.load_balancer_controller_attachment.policy_arn == aws_iam_policy.load_balancer_controller_policy.arn && aws_iam_role_policy_attachment.load_balancer_controller_attachment.role == aws_iam_role.load_balancer_controller_identity_role_role.name
    error_message = "The AWS Load Balancer Controller's service account must get its published policy through its own role"
  }

  assert {
    condition     = length([for s in jsondecode(aws_iam_role_policy.pod_viewer_role_policy.policy).Statement : s if contains(flatten([s.Action]), "s3:PutObject")]) == 0
    error_message = "The viewer may only read (its fonts)"
  }
}
