# duewin's compute stack in every environment: the asserts its dev and prod stacks share.
# Each environment's own asserts are in tests/terraform/duewin-<environment>-compute/.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "compute" {
  command = apply

  assert {
    condition     = aws_lb_target_group.alb_tg_app.port == 3000 && aws_lb_target_group.alb_tg_app.protocol == "HTTP" && aws_lb_target_group.alb_tg_app.health_check[0].path == "/health" && aws_lb_target_group.alb_tg_app.health_check[0].interval == 30 && aws_lb_target_group.alb_tg_app.health_check[0].timeout == 5 && aws_lb_target_group.alb_tg_app.health_check[0].healthy_threshold == 2 && aws_lb_target_group.alb_tg_app.health_check[0].unhealthy_threshold == 3 && aws_lb_target_group.alb_tg_app.health_check[0].matcher == "200"
    error_message = "The target group must send to port 3000 and check /health every 30 s (timeout 5 s, 2 healthy, 3 unhealthy, 200)"
  }

  assert {
    condition     = aws_lb_target_group.alb_tg_app.deregistration_delay == "60" && aws_lb_target_group.alb_tg_app.stickiness[0].type == "lb_cookie" && aws_lb_target_group.alb_tg_app.stickiness[0].enabled == true && aws_lb_target_group.alb_tg_app.stickiness[0].cookie_duration == 86400
    error_message = "The target group must drain for 60 s and keep sessions sticky with a load-balancer cookie"
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.app_sg_ingress_3000_from_alb.security_group_id == aws_security_group.app_sg_group.id && aws_vpc_security_group_ingress_rule.app_sg_ingress_3000_from_alb.referenced_security_group_id == aws_security_group.alb_sg_group.id && aws_vpc_security_group_ingress_rule.app_sg_ingress_3000_from_alb.from_port == 3000 && aws_vpc_security_group_ingress_rule.app_sg_ingress_3000_from_alb.to_port == 3000 && aws_vpc_security_group_ingress_rule.app_sg_ingress_3000_from_alb.ip_protocol == "tcp" && aws_vpc_security_group_ingress_rule.app_sg_ingress_3000_from_alb.cidr_ipv4 == null
    error_message = "The app port 3000 must be open only to the ALB security group"
  }

  assert {
    condition     = aws_launch_template.app_launch_template.metadata_options[0].http_tokens == "required" && aws_launch_template.app_launch_template.metadata_options[0].http_endpoint == "enabled" && aws_launch_template.app_launch_template.metadata_options[0].http_put_response_hop_limit == 2
    error_message = "Instances must require IMDSv2 (hop limit 2)"
  }

  assert {
    condition     = aws_launch_template.app_launch_template.block_device_mappings[0].device_name == "/dev/xvda" && aws_launch_template.app_launch_template.block_device_mappings[0].ebs[0].encrypted == "true" && aws_launch_template.app_launch_template.block_device_mappings[0].ebs[0].volume_type == "gp3" && aws_launch_template.app_launch_template.block_device_mappings[0].ebs[0].volume_size == 30
    error_message = "The root volume must be an encrypted 30 GiB gp3 volume"
  }

  assert {
    condition     = aws_launch_template.app_launch_template.network_interfaces[0].associate_public_ip_address == "false" && aws_launch_template.app_launch_template.monitoring[0].enabled == true && aws_launch_template.app_launch_template.update_default_version == true && aws_launch_template.app_launch_template.instance_type == "t3.small" && startswith(aws_launch_template.app_launch_template.image_id, "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023")
    error_message = "Instances must be t3.small on Amazon Linux 2023, with no public IP and detailed monitoring"
  }

  assert {
    condition     = aws_autoscaling_group.app_asg.min_size == 2 && aws_autoscaling_group.app_asg.max_size == 10 && aws_autoscaling_group.app_asg.desired_capacity == 2 && aws_autoscaling_group.app_asg.health_check_type == "ELB" && aws_autoscaling_group.app_asg.health_check_grace_period == 300 && aws_autoscaling_group.app_asg.target_group_arns == toset([aws_lb_target_group.alb_tg_app.arn])
    error_message = "The group must be 2-10 (desired 2) with ELB health checks, registered in the target group"
  }

  assert {
    condition     = aws_autoscaling_group.app_asg.instance_refresh[0].strategy == "Rolling" && aws_autoscaling_group.app_asg.instance_refresh[0].preferences[0].min_healthy_percentage == 50 && aws_autoscaling_group.app_asg.launch_template[0].version == tostring(aws_launch_template.app_launch_template.latest_version)
    error_message = "The group must follow the launch template's latest version with a rolling refresh keeping 50 % healthy"
  }

  assert {
    condition     = aws_autoscaling_policy.app_target_cpu.policy_type == "TargetTrackingScaling" && aws_autoscaling_policy.app_target_cpu.target_tracking_configuration[0].predefined_metric_specification[0].predefined_metric_type == "ASGAverageCPUUtilization" && aws_autoscaling_policy.app_target_cpu.target_tracking_configuration[0].target_value == 70 && aws_autoscaling_policy.app_target_cpu.autoscaling_group_name == aws_autoscaling_group.app_asg.name
    error_message = "Target tracking must keep average CPU at 70 %"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.app_high_cpu.threshold == 80 && aws_cloudwatch_metric_alarm.app_high_cpu.comparison_operator == "GreaterThanThreshold" && aws_cloudwatch_metric_alarm.app_high_cpu.dimensions["AutoScalingGroupName"] == aws_autoscaling_group.app_asg.name
    error_message = "A high-CPU alarm must watch the group above 80 %"
  }

  assert {
    condition     = aws_iam_role_policy_attachment.app_instance_AmazonSSMManagedInstanceCore.policy_arn == "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" && aws_iam_role_policy_attachment.app_instance_AmazonSSMManagedInstanceCore.role == aws_iam_role.app_instance_role.name && aws_iam_instance_profile.app_instance_instance_profile.role == aws_iam_role.app_instance_role.name && jsondecode(aws_iam_role.app_instance_role.assume_role_policy).Statement[0].Principal.Service == "ec2.amazonaws.com"
    error_message = "The instance role must be for EC2, with SSM Session Manager access and an instance profile"
  }

  assert {
    condition     = jsondecode(aws_iam_role_policy.app_instance_policy.policy).Statement[0].Resource == [aws_cloudwatch_log_group.app_logs.arn, "${aws_cloudwatch_log_group.app_logs.arn}:*"] && alltrue([for s in jsondecode(aws_iam_role_policy.app_instance_policy.policy).Statement : !(contains(flatten([s.Action]), "*") || (s.Resource == "*" && s.Sid != "PullImagesAuth" && s.Sid != "PutAgentMetrics"))])
    error_message = "The role may write only to its own log group, and no statement may grant * actions or * resources (beyond the two unscopable calls)"
  }

  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.app_instance_policy.policy).Statement : s.Sid] == ["WriteAppLogs", "PutAgentMetrics", "PullImagesAuth", "PullImages", "ReadSecrets", "ReadSecretsKey"] && length(jsondecode(aws_iam_role_policy.app_instance_policy.policy).Statement[3].Resource) == 1 && startswith(jsondecode(aws_iam_role_policy.app_instance_policy.policy).Statement[3].Resource[0], "arn:aws:ecr:") && length(jsondecode(aws_iam_role_policy.app_instance_policy.policy).Statement[4].Resource) == 1 && startswith(jsondecode(aws_iam_role_policy.app_instance_policy.policy).Statement[4].Resource[0], "arn:aws:secretsmanager:") && jsondecode(aws_iam_role_policy.app_instance_policy.policy).Statement[5].Action == "kms:Decrypt" && startswith(jsondecode(aws_iam_role_policy.app_instance_policy.policy).Statement[5].Resource[0], "arn:aws:kms:")
    error_message = "The role may pull only its ECR repository and read only its secret, decrypting it with the storage key"
  }
}
