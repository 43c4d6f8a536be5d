# joblet's compute stack in every environment: the asserts its dev and prod stacks share.
# Each environment's own asserts are in tests/terraform/joblet-<environment>-compute/.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "compute" {
  command = apply

  assert {
    condition     = aws_lb_listener.nlb_tcp.port == 443 && aws_lb_listener.nlb_tcp.protocol == "TCP" && aws_lb_listener.nlb_tcp.default_action[0].target_group_arn == aws_lb_target_group.nlb_tg_app.arn
    error_message = "The NLB must pass TLS through on TCP 443 to the target group"
  }

  assert {
    condition     = aws_lb_target_group.nlb_tg_app.protocol == "TCP" && aws_lb_target_group.nlb_tg_app.port == 443 && aws_lb_target_group.nlb_tg_app.health_check[0].protocol == "TCP" && aws_lb_target_group.nlb_tg_app.health_check[0].port == "traffic-port" && aws_lb_target_group.nlb_tg_app.health_check[0].interval == 30 && aws_lb_target_group.nlb_tg_app.health_check[0].healthy_threshold == 2 && aws_lb_target_group.nlb_tg_app.health_check[0].unhealthy_threshold == 3 && aws_lb_target_group.nlb_tg_app.deregistration_delay == "60"
    error_message = "The target group must be TCP 443 with a TCP health check every 30 s (2 healthy, 3 unhealthy) and 60 s draining"
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.app_sg_ingress_443_from_nlb.security_group_id == aws_security_group.app_sg_group.id && aws_vpc_security_group_ingress_rule.app_sg_ingress_443_from_nlb.referenced_security_group_id == aws_security_group.nlb_sg_group.id && aws_vpc_security_group_ingress_rule.app_sg_ingress_443_from_nlb.from_port == 443 && aws_vpc_security_group_ingress_rule.app_sg_ingress_443_from_nlb.to_port == 443 && aws_vpc_security_group_ingress_rule.app_sg_ingress_443_from_nlb.ip_protocol == "tcp" && aws_vpc_security_group_ingress_rule.app_sg_ingress_443_from_nlb.cidr_ipv4 == null
    error_message = "The app port 443 must be open only to the NLB security group"
  }

  assert {
    condition     = aws_autoscaling_group.app_blue_asg.min_size == 2 && aws_autoscaling_group.app_blue_asg.max_size == 10 && aws_autoscaling_group.app_blue_asg.desired_capacity == 2 && aws_autoscaling_group.app_blue_asg.health_check_type == "ELB" && aws_autoscaling_group.app_blue_asg.health_check_grace_period == 900 && aws_autoscaling_group.app_blue_asg.target_group_arns == toset([aws_lb_target_group.nlb_tg_app.arn])
    error_message = "The group must be 2-10 (desired 2) with ELB health checks after the first boot's wait (900 s), registered in the target group"
  }

  assert {
    condition     = aws_autoscaling_group.app_blue_asg.instance_refresh[0].strategy == "Rolling" && aws_autoscaling_group.app_blue_asg.instance_refresh[0].preferences[0].min_healthy_percentage == 50 && aws_autoscaling_group.app_blue_asg.launch_template[0].version == tostring(aws_launch_template.app_blue_launch_template.latest_version)
    error_message = "The group must follow the launch template's latest version with a rolling refresh keeping 50 % healthy"
  }

  assert {
    condition     = aws_autoscaling_policy.app_blue_scale_out.policy_type == "StepScaling" && aws_autoscaling_policy.app_blue_scale_out.adjustment_type == "ChangeInCapacity" && one(aws_autoscaling_policy.app_blue_scale_out.step_adjustment).scaling_adjustment == 2 && one(aws_autoscaling_policy.app_blue_scale_out.step_adjustment).metric_interval_lower_bound == "0" && aws_autoscaling_policy.app_blue_scale_out.estimated_instance_warmup == 300 && aws_autoscaling_policy.app_blue_scale_out.autoscaling_group_name == aws_autoscaling_group.app_blue_asg.name
    error_message = "Scale-out must add 2 instances, with a 300 s warm-up as the cooldown"
  }

  assert {
    condition     = aws_autoscaling_policy.app_blue_scale_in.policy_type == "StepScaling" && one(aws_autoscaling_policy.app_blue_scale_in.step_adjustment).scaling_adjustment == -1 && one(aws_autoscaling_policy.app_blue_scale_in.step_adjustment).metric_interval_upper_bound == "0" && aws_autoscaling_policy.app_blue_scale_in.autoscaling_group_name == aws_autoscaling_group.app_blue_asg.name
    error_message = "Scale-in must remove 1 instance"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.app_blue_scale_out_alarm.metric_name == "CPUUtilization" && aws_cloudwatch_metric_alarm.app_blue_scale_out_alarm.statistic == "Average" && aws_cloudwatch_metric_alarm.app_blue_scale_out_alarm.threshold == 70 && aws_cloudwatch_metric_alarm.app_blue_scale_out_alarm.comparison_operator == "GreaterThanThreshold" && aws_cloudwatch_metric_alarm.app_blue_scale_out_alarm.period * aws_cloudwatch_metric_alarm.app_blue_scale_out_alarm.evaluation_periods == 240 && aws_cloudwatch_metric_alarm.app_blue_scale_out_alarm.alarm_actions == toset([aws_autoscaling_policy.app_blue_scale_out.arn]) && aws_cloudwatch_metric_alarm.app_blue_scale_out_alarm.dimensions["AutoScalingGroupName"] == aws_autoscaling_group.app_blue_asg.name
    error_message = "The scale-out alarm must fire on average CPU > 70 % for 4 minutes and trigger the scale-out policy"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.app_blue_scale_in_alarm.threshold == 30 && aws_cloudwatch_metric_alarm.app_blue_scale_in_alarm.comparison_operator == "LessThanThreshold" && aws_cloudwatch_metric_alarm.app_blue_scale_in_alarm.period * aws_cloudwatch_metric_alarm.app_blue_scale_in_alarm.evaluation_periods == 240 && aws_cloudwatch_metric_alarm.app_blue_scale_in_alarm.alarm_actions == toset([aws_autoscaling_policy.app_blue_scale_in.arn]) && aws_cloudwatch_metric_alarm.app_blue_scale_in_alarm.dimensions["AutoScalingGroupName"] == aws_autoscaling_group.app_blue_asg.name
    error_message = "The scale-in alarm must fire on average CPU < 30 % for 4 minutes and trigger the scale-in policy"
  }

  assert {
    condition     = aws_autoscaling_group.app_green_asg.min_size == 0 && aws_autoscaling_group.app_green_asg.max_size == 0 && aws_autoscaling_group.app_green_asg.desired_capacity == 0 && aws_autoscaling_group.app_green_asg.health_check_type == "ELB" && aws_autoscaling_group.app_green_asg.health_check_grace_period == 900 && aws_autoscaling_group.app_green_asg.target_group_arns == toset([aws_lb_target_group.nlb_tg_app.arn])
    error_message = "The group must be 0-0 (desired 0) with ELB health checks after the first boot's wait (900 s), registered in the target group"
  }

  assert {
    condition     = aws_autoscaling_group.app_green_asg.instance_refresh[0].strategy == "Rolling" && aws_autoscaling_group.app_green_asg.instance_refresh[0].preferences[0].min_healthy_percentage == 50 && aws_autoscaling_group.app_green_asg.launch_template[0].version == tostring(aws_launch_template.app_green_launch_template.latest_version)
    error_message = "The group must follow the launch template's latest version with a rolling refresh keeping 50 % healthy"
  }

  assert {
    condition     = aws_autoscaling_policy.app_green_scale_out.policy_type == "StepScaling" && aws_autoscaling_policy.app_green_scale_out.adjustment_type == "ChangeInCapacity" && one(aws_autoscaling_policy.app_green_scale_out.step_adjustment).scaling_adjustment == 2 && one(aws_autoscaling_policy.app_green_scale_out.step_adjustment).metric_interval_lower_bound == "0" && aws_autoscaling_policy.app_green_scale_out.estimated_instance_warmup == 300 && aws_autoscaling_policy.app_green_scale_out.autoscaling_group_name == aws_autoscaling_group.app_green_asg.name
    error_message = "Scale-out must add 2 instances, with a 300 s warm-up as the cooldown"
  }

  assert {
    condition     = aws_autoscaling_policy.app_green_scale_in.policy_type == "StepScaling" && one(aws_autoscaling_policy.app_green_scale_in.step_adjustment).scaling_adjustment == -1 && one(aws_autoscaling_policy.app_green_scale_in.step_adjustment).metric_interval_upper_bound == "0" && aws_autoscaling_policy.app_green_scale_in.autoscaling_group_name == aws_autoscaling_group.app_green_asg.name
    error_message = "Scale-in must remove 1 instance"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.app_green_scale_out_alarm.metric_name == "CPUUtilization" && aws_cloudwatch_metric_alarm.app_green_scale_out_alarm.statistic == "Average" && aws_cloudwatch_metric_alarm.app_green_scale_out_alarm.threshold == 70 && aws_cloudwatch_metric_alarm.app_green_scale_out_alarm.comparison_operator == "GreaterThanThreshold" && aws_cloudwatch_metric_alarm.app_green_scale_out_alarm.period * aws_cloudwatch_metric_alarm.app_green_scale_out_alarm.evaluation_periods == 240 && aws_cloudwatch_metric_alarm.app_green_scale_out_alarm.alarm_actions == toset([aws_autoscaling_policy.app_green_scale_out.arn]) && aws_cloudwatch_metric_alarm.app_green_scale_out_alarm.dimensions["AutoScalingGroupName"] == aws_autoscaling_group.app_green_asg.name
    error_message = "The scale-out alarm must fire on average CPU > 70 % for 4 minutes and trigger the scale-out policy"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.app_green_scale_in_alarm.threshold == 30 && aws_cloudwatch_metric_alarm.app_green_scale_in_alarm.comparison_operator == "LessThanThreshold" && aws_cloudwatch_metric_alarm.app_green_scale_in_alarm.period * aws_cloudwatch_metric_alarm.app_green_scale_in_alarm.evaluation_periods == 240 && aws_cloudwatch_metric_alarm.app_green_scale_in_alarm.alarm_actions == toset([aws_autoscaling_policy.app_green_scale_in.arn]) && aws_cloudwatch_metric_alarm.app_green_scale_in_alarm.dimensions["AutoScalingGroupName"] == aws_autoscaling_group.app_green_asg.name
    error_message = "The scale-in alarm must fire on average CPU < 30 % for 4 minutes and trigger the scale-in policy"
  }

  assert {
    condition     = aws_launch_template.app_blue_launch_template.metadata_options[0].http_tokens == "required" && aws_launch_template.app_blue_launch_template.metadata_options[0].http_endpoint == "enabled" && aws_launch_template.app_blue_launch_template.metadata_options[0].http_put_response_hop_limit == 1
    error_message = "Instances must require IMDSv2 (hop limit 1)"
  }

  assert {
    condition     = aws_launch_template.app_blue_launch_template.block_device_mappings[0].device_name == "/dev/xvda" && aws_launch_template.app_blue_launch_template.block_device_mappings[0].ebs[0].encrypted == "true" && aws_launch_template.app_blue_launch_template.block_device_mappings[0].ebs[0].volume_type == "gp3" && aws_launch_template.app_blue_launch_template.block_device_mappings[0].ebs[0].volume_size == 30
    error_message = "The root volume must be an encrypted 30 GiB gp3 volume"
  }

  assert {
    condition     = aws_launch_template.app_blue_launch_template.network_interfaces[0].associate_public_ip_address == "false" && aws_launch_template.app_blue_launch_template.monitoring[0].enabled == true && aws_launch_template.app_blue_launch_template.update_default_version == true && aws_launch_template.app_blue_launch_template.instance_type == "t3.medium" && startswith(aws_launch_template.app_blue_launch_template.image_id, "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023")
    error_message = "Instances must be t3.medium on Amazon Linux 2023, with no public IP and detailed monitoring"
  }

  assert {
    condition     = strcontains(base64decode(aws_launch_template.app_blue_launch_template.user_data), "https://raw.githubusercontent.com/ehsaniara/joblet/main/scripts/ec2-user-data.sh") && strcontains(base64decode(aws_launch_template.app_blue_launch_template.user_data), "export USE_SECRETS_MANAGER='true'") && strcontains(base64decode(aws_launch_template.app_blue_launch_template.user_data), "export JOBLET_SERVER_PORT='443'") && strcontains(base64decode(aws_launch_template.app_blue_launch_template.user_data), "export JOBLET_VERSION='latest'")
    error_message = "The user data must bootstrap the app as configured"
  }

  assert {
    condition     = aws_launch_template.app_green_launch_template.metadata_options[0].http_tokens == "required" && aws_launch_template.app_green_launch_template.block_device_mappings[0].ebs[0].encrypted == "true" && aws_launch_template.app_green_launch_template.network_interfaces[0].security_groups == aws_launch_template.app_blue_launch_template.network_interfaces[0].security_groups
    error_message = "The green launch template must be as locked down as blue, in the same security group"
  }

  assert {
    condition     = aws_iam_role_policy_attachment.app_instance_AmazonSSMManagedInstanceCore.policy_arn == "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" && aws_iam_role_policy_attachment.app_instance_AmazonSSMManagedInstanceCore.role == aws_iam_role.app_instance_role.name && aws_iam_instance_profile.app_instance_instance_profile.role == aws_iam_role.app_instance_role.name && jsondecode(aws_iam_role.app_instance_role.assume_role_policy).Statement[0].Principal.Service == "ec2.amazonaws.com"
    error_message = "The instance role must be for EC2, with SSM Session Manager access and an instance profile"
  }

  assert {
    condition     = jsondecode(aws_iam_role_policy.app_instance_policy.policy).Statement[0].Resource == [aws_cloudwatch_log_group.app_logs.arn, "${aws_cloudwatch_log_group.app_logs.arn}:*"] && alltrue([for s in jsondecode(aws_iam_role_policy.app_instance_policy.policy).Statement : !(contains(flatten([s.Action]), "*") || (s.Resource == "*" && s.Sid != "PullImagesAuth" && s.Sid != "PutAgentMetrics" && s.Sid != "PutCertificateMetrics" && s.Sid != "PutAppMetrics" && s.Sid != "ReadMetrics"))])
    error_message = "The role may write only to its own log group, and no statement may grant * actions or * resources (beyond the unscopable ECR login, PutMetricData, scoped by namespace, and the metric reads CloudWatch cannot scope)"
  }

  assert {
    condition     = length(jsondecode(aws_iam_role_policy.app_instance_policy.policy).Statement[2].Resource) == 1 && can(regex("^arn:aws:secretsmanager:us-east-1:[0-9]{12}:secret:joblet/\\*$", jsondecode(aws_iam_role_policy.app_instance_policy.policy).Statement[2].Resource[0])) && contains(jsondecode(aws_iam_role_policy.app_instance_policy.policy).Statement[2].Action, "secretsmanager:CreateSecret") && contains(jsondecode(aws_iam_role_policy.app_instance_policy.policy).Statement[2].Action, "secretsmanager:GetSecretValue") && jsondecode(aws_iam_role_policy.app_instance_policy.policy).Statement[3].Action == ["kms:GenerateDataKey", "kms:Decrypt"] && startswith(jsondecode(aws_iam_role_policy.app_instance_policy.policy).Statement[3].Resource[0], "arn:aws:kms:") && jsondecode(aws_iam_role_policy.app_instance_policy.policy).Statement[3].Condition.StringEquals["kms:ViaService"] == "secretsmanager.us-east-1.amazonaws.com"
    error_message = "The role may read and publish secrets under joblet/* only, with data keys from the storage key through Secrets Manager"
  }
}
