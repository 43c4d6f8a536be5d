# algoitny's compute stack in every environment: the asserts its dev and prod stacks share.
# Each environment's own asserts are in tests/terraform/algoitny-<environment>-compute/.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "compute" {
  command = apply

  assert {
    condition     = aws_launch_template.api_launch_template.metadata_options[0].http_tokens == "required" && aws_launch_template.api_launch_template.metadata_options[0].http_endpoint == "enabled" && aws_launch_template.api_launch_template.metadata_options[0].http_put_response_hop_limit == 2
    error_message = "Instances must require IMDSv2 (hop limit 2)"
  }

  assert {
    condition     = aws_launch_template.api_launch_template.block_device_mappings[0].device_name == "/dev/xvda" && aws_launch_template.api_launch_template.block_device_mappings[0].ebs[0].encrypted == "true" && aws_launch_template.api_launch_template.block_device_mappings[0].ebs[0].volume_type == "gp3" && aws_launch_template.api_launch_template.block_device_mappings[0].ebs[0].volume_size == 30
    error_message = "The root volume must be an encrypted 30 GiB gp3 volume"
  }

  assert {
    condition     = aws_launch_template.api_launch_template.network_interfaces[0].associate_public_ip_address == "false" && aws_launch_template.api_launch_template.monitoring[0].enabled == true && aws_launch_template.api_launch_template.update_default_version == true && aws_launch_template.api_launch_template.instance_type == "t3.medium" && startswith(aws_launch_template.api_launch_template.image_id, "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023")
    error_message = "Instances must be t3.medium on Amazon Linux 2023, with no public IP and detailed monitoring"
  }

  assert {
    condition     = aws_autoscaling_group.api_asg.instance_refresh[0].strategy == "Rolling" && aws_autoscaling_group.api_asg.instance_refresh[0].preferences[0].min_healthy_percentage == 50 && aws_autoscaling_group.api_asg.launch_template[0].version == tostring(aws_launch_template.api_launch_template.latest_version)
    error_message = "The group must follow the launch template's latest version with a rolling refresh keeping 50 % healthy"
  }

  assert {
    condition     = aws_autoscaling_policy.api_target_cpu.policy_type == "TargetTrackingScaling" && aws_autoscaling_policy.api_target_cpu.target_tracking_configuration[0].predefined_metric_specification[0].predefined_metric_type == "ASGAverageCPUUtilization" && aws_autoscaling_policy.api_target_cpu.target_tracking_configuration[0].target_value == 70 && aws_autoscaling_policy.api_target_cpu.autoscaling_group_name == aws_autoscaling_group.api_asg.name
    error_message = "Target tracking must keep average CPU at 70 %"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.api_high_cpu.threshold == 80 && aws_cloudwatch_metric_alarm.api_high_cpu.comparison_operator == "GreaterThanThreshold" && aws_cloudwatch_metric_alarm.api_high_cpu.dimensions["AutoScalingGroupName"] == aws_autoscaling_group.api_asg.name
    error_message = "A high-CPU alarm must watch the group above 80 %"
  }

  assert {
    condition     = aws_iam_role_policy_attachment.api_instance_AmazonSSMManagedInstanceCore.policy_arn == "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" && aws_iam_role_policy_attachment.api_instance_AmazonSSMManagedInstanceCore.role == aws_iam_role.api_instance_role.name && aws_iam_instance_profile.api_instance_instance_profile.role == aws_iam_role.api_instance_role.name && jsondecode(aws_iam_role.api_instance_role.assume_role_policy).Statement[0].Principal.Service == "ec2.amazonaws.com"
    error_message = "The instance role must be for EC2, with SSM Session Manager access and an instance profile"
  }

  assert {
    condition     = jsondecode(aws_iam_role_policy.api_instance_policy.policy).Statement[0].Resource == [aws_cloudwatch_log_group.api_logs.arn, "${aws_cloudwatch_log_group.api_logs.arn}:*"] && alltrue([for s in jsondecode(aws_iam_role_policy.api_instance_policy.policy).Statement : !(contains(flatten([s.Action]), "*") || (s.Resource == "*" && s.Sid != "PullImagesAuth" && s.Sid != "PutAgentMetrics" && s.Action != "sqs:ListQueues"))])
    error_message = "The role may write only to its own log group, and no statement may grant * actions or * resources (beyond the unscopable calls: the ECR login, PutMetricData scoped by namespace, and the SQS ListQueues Celery makes)"
  }

  assert {
    condition     = aws_security_group.worker_sg_group.id != aws_security_group.api_sg_group.id && aws_vpc_security_group_egress_rule.worker_sg_egress_all.security_group_id == aws_security_group.worker_sg_group.id
    error_message = "The worker must have its own security group (with no ingress rule)"
  }

  assert {
    condition     = aws_launch_template.worker_launch_template.metadata_options[0].http_tokens == "required" && aws_launch_template.worker_launch_template.metadata_options[0].http_endpoint == "enabled" && aws_launch_template.worker_launch_template.metadata_options[0].http_put_response_hop_limit == 2
    error_message = "Instances must require IMDSv2 (hop limit 2)"
  }

  assert {
    condition     = aws_launch_template.worker_launch_template.block_device_mappings[0].device_name == "/dev/xvda" && aws_launch_template.worker_launch_template.block_device_mappings[0].ebs[0].encrypted == "true" && aws_launch_template.worker_launch_template.block_device_mappings[0].ebs[0].volume_type == "gp3" && aws_launch_template.worker_launch_template.block_device_mappings[0].ebs[0].volume_size == 50
    error_message = "The root volume must be an encrypted 50 GiB gp3 volume"
  }

  assert {
    condition     = aws_launch_template.worker_launch_template.network_interfaces[0].associate_public_ip_address == "false" && aws_launch_template.worker_launch_template.monitoring[0].enabled == true && aws_launch_template.worker_launch_template.update_default_version == true && aws_launch_template.worker_launch_template.instance_type == "t3.large" && startswith(aws_launch_template.worker_launch_template.image_id, "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023")
    error_message = "Instances must be t3.large on Amazon Linux 2023, with no public IP and detailed monitoring"
  }

  assert {
    condition     = !strcontains(base64decode(aws_launch_template.worker_launch_template.user_data), "--publish")
    error_message = "The worker container must publish no port"
  }

  assert {
    condition     = aws_autoscaling_group.worker_asg.min_size == 1 && aws_autoscaling_group.worker_asg.max_size == 5 && aws_autoscaling_group.worker_asg.desired_capacity == 2 && aws_autoscaling_group.worker_asg.health_check_type == "EC2" && aws_autoscaling_group.worker_asg.health_check_grace_period == 300 && length(aws_autoscaling_group.worker_asg.target_group_arns) == 0
    error_message = "The group must be 1-5 (desired 2) with EC2 health checks and no target group"
  }

  assert {
    condition     = aws_autoscaling_group.worker_asg.instance_refresh[0].strategy == "Rolling" && aws_autoscaling_group.worker_asg.instance_refresh[0].preferences[0].min_healthy_percentage == 50 && aws_autoscaling_group.worker_asg.mixed_instances_policy[0].launch_template[0].launch_template_specification[0].version == tostring(aws_launch_template.worker_launch_template.latest_version)
    error_message = "The group must follow the launch template's latest version with a rolling refresh keeping 50 % healthy"
  }

  assert {
    condition     = aws_autoscaling_group.worker_asg.capacity_rebalance == true && aws_autoscaling_group.worker_asg.mixed_instances_policy[0].instances_distribution[0].on_demand_percentage_above_base_capacity == 0 && aws_autoscaling_group.worker_asg.mixed_instances_policy[0].instances_distribution[0].spot_allocation_strategy == "price-capacity-optimized" && [for o in aws_autoscaling_group.worker_asg.mixed_instances_policy[0].launch_template[0].override : o.instance_type] == ["t3.large", "t3a.large"]
    error_message = "Workers must run on Spot (t3.large, t3a.large) with capacity rebalance"
  }

  assert {
    condition     = aws_autoscaling_schedule.worker_schedule_offpeak.desired_capacity == 1 && aws_autoscaling_schedule.worker_schedule_offpeak.min_size == -1 && aws_autoscaling_schedule.worker_schedule_offpeak.max_size == -1 && aws_autoscaling_schedule.worker_schedule_offpeak.time_zone == "Asia/Seoul" && aws_autoscaling_schedule.worker_schedule_offpeak.autoscaling_group_name == aws_autoscaling_group.worker_asg.name && aws_autoscaling_schedule.worker_schedule_peak.desired_capacity == 2
    error_message = "Scheduled actions must scale the workers to 1 off-peak and back to 2, leaving min and max alone"
  }

  assert {
    condition     = aws_autoscaling_policy.worker_target_cpu.policy_type == "TargetTrackingScaling" && aws_autoscaling_policy.worker_target_cpu.target_tracking_configuration[0].predefined_metric_specification[0].predefined_metric_type == "ASGAverageCPUUtilization" && aws_autoscaling_policy.worker_target_cpu.target_tracking_configuration[0].target_value == 70 && aws_autoscaling_policy.worker_target_cpu.autoscaling_group_name == aws_autoscaling_group.worker_asg.name
    error_message = "Target tracking must keep average CPU at 70 %"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.worker_high_cpu.threshold == 80 && aws_cloudwatch_metric_alarm.worker_high_cpu.comparison_operator == "GreaterThanThreshold" && aws_cloudwatch_metric_alarm.worker_high_cpu.dimensions["AutoScalingGroupName"] == aws_autoscaling_group.worker_asg.name
    error_message = "A high-CPU alarm must watch the group above 80 %"
  }

  assert {
    condition     = aws_iam_role_policy_attachment.worker_instance_AmazonSSMManagedInstanceCore.policy_arn == "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" && aws_iam_role_policy_attachment.worker_instance_AmazonSSMManagedInstanceCore.role == aws_iam_role.worker_instance_role.name && aws_iam_instance_profile.worker_instance_instance_profile.role == aws_iam_role.worker_instance_role.name && jsondecode(aws_iam_role.worker_instance_role.assume_role_policy).Statement[0].Principal.Service == "ec2.amazonaws.com"
    error_message = "The instance role must be for EC2, with SSM Session Manager access and an instance profile"
  }

  assert {
    condition     = jsondecode(aws_iam_role_policy.worker_instance_policy.policy).Statement[0].Resource == [aws_cloudwatch_log_group.worker_logs.arn, "${aws_cloudwatch_log_group.worker_logs.arn}:*"] && alltrue([for s in jsondecode(aws_iam_role_policy.worker_instance_policy.policy).Statement : !(contains(flatten([s.Action]), "*") || (s.Resource == "*" && s.Sid != "PullImagesAuth" && s.Sid != "PutAgentMetrics" && s.Action != "sqs:ListQueues"))])
    error_message = "The role may write only to its own log group, and no statement may grant * actions or * resources (beyond the unscopable calls: the ECR login, PutMetricData scoped by namespace, and the SQS ListQueues Celery makes)"
  }

  assert {
    condition     = output.api_security_group_id == aws_security_group.api_sg_group.id && output.worker_role_name == aws_iam_role.worker_instance_role.name && output.api_asg_names == [aws_autoscaling_group.api_asg.name]
    error_message = "The compute state must export the app security groups and role names for the data tier"
  }
}
