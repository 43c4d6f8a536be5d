# algoitny-prod-compute: AlgoItny's API ASG behind the services state's ALB, and the Celery worker ASG with no load balancer.
# Applied against the mock provider by the harness (npm test); addresses are the stack's public contract.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "compute" {
  command = apply

  assert {
    condition     = aws_vpc_security_group_ingress_rule.api_sg_ingress_8000_from_alb.security_group_id == aws_security_group.api_sg_group.id && aws_vpc_security_group_ingress_rule.api_sg_ingress_8000_from_alb.referenced_security_group_id == data.terraform_remote_state.cross-stack-reference-input-algoitny-prod-services.outputs["cross-stack-output-aws_security_group_alb_sg_group_id"] && aws_vpc_security_group_ingress_rule.api_sg_ingress_8000_from_alb.from_port == 8000 && aws_vpc_security_group_ingress_rule.api_sg_ingress_8000_from_alb.to_port == 8000 && aws_vpc_security_group_ingress_rule.api_sg_ingress_8000_from_alb.ip_protocol == "tcp" && aws_vpc_security_group_ingress_rule.api_sg_ingress_8000_from_alb.cidr_ipv4 == null
    error_message = "The app port 8000 must be open only to the ALB security group"
  }

  assert {
    condition     = strcontains(base64decode(aws_launch_template.api_launch_template.user_data), "docker pull") && strcontains(base64decode(aws_launch_template.api_launch_template.user_data), "IMAGE=\"$REGISTRY/\"'algoitny':'1.0.0-harness'") && strcontains(base64decode(aws_launch_template.api_launch_template.user_data), "--publish 8000:8000") && strcontains(base64decode(aws_launch_template.api_launch_template.user_data), "--secret-id 'algoitny-secrets'") && strcontains(base64decode(aws_launch_template.api_launch_template.user_data), "printf '%s=%s\\n' 'ALLOWED_HOSTS' '.testcase.run'") && strcontains(base64decode(aws_launch_template.api_launch_template.user_data), "sed -i \"s/^ALLOWED_HOSTS=.*/&,$PRIVATE_IP/\"")
    error_message = "The user data must bootstrap the app as configured"
  }

  assert {
    condition     = aws_autoscaling_group.api_asg.min_size == 2 && aws_autoscaling_group.api_asg.max_size == 10 && aws_autoscaling_group.api_asg.desired_capacity == 2 && aws_autoscaling_group.api_asg.health_check_type == "ELB" && aws_autoscaling_group.api_asg.health_check_grace_period == 300 && aws_autoscaling_group.api_asg.target_group_arns == toset([data.terraform_remote_state.cross-stack-reference-input-algoitny-prod-services.outputs["cross-stack-output-aws_lb_target_group_alb_tg_api_arn"]])
    error_message = "The group must be 2-10 (desired 2) with ELB health checks, registered in the target group"
  }

  assert {
    condition     = aws_autoscaling_policy.api_target_requests.target_tracking_configuration[0].predefined_metric_specification[0].predefined_metric_type == "ALBRequestCountPerTarget" && aws_autoscaling_policy.api_target_requests.target_tracking_configuration[0].predefined_metric_specification[0].resource_label == "${data.terraform_remote_state.cross-stack-reference-input-algoitny-prod-services.outputs["cross-stack-output-aws_lb_alb_lb_arn_suffix"]}/${data.terraform_remote_state.cross-stack-reference-input-algoitny-prod-services.outputs["cross-stack-output-aws_lb_target_group_alb_tg_api_arn_suffix"]}" && aws_autoscaling_policy.api_target_requests.target_tracking_configuration[0].target_value == 1000
    error_message = "Request-count tracking must label the ALB and target group by their arn_suffix pair from the services state"
  }

  assert {
    condition     = aws_cloudwatch_log_group.api_logs.name == "/aws/ec2/algoitny-prod-api" && aws_cloudwatch_log_group.api_logs.retention_in_days == 90
    error_message = "The app logs must go to /aws/ec2/algoitny-prod-api, kept 90 days"
  }

  assert {
    condition     = jsondecode(aws_iam_role_policy.api_instance_policy.policy).Statement[6].Resource == [data.terraform_remote_state.cross-stack-reference-input-algoitny-prod-storage.outputs["cross-stack-output-aws_dynamodb_table_dynamodb_main_table_arn"]] && jsondecode(aws_iam_role_policy.api_instance_policy.policy).Statement[7].Resource == ["${data.terraform_remote_state.cross-stack-reference-input-algoitny-prod-storage.outputs["cross-stack-output-aws_dynamodb_table_dynamodb_main_table_arn"]}/index/*"] && jsondecode(aws_iam_role_policy.api_instance_policy.policy).Statement[4].Resource == [data.terraform_remote_state.cross-stack-reference-input-algoitny-prod-storage.outputs["cross-stack-output-aws_secretsmanager_secret_secrets_secret_algoitny-secrets_arn"]] && jsondecode(aws_iam_role_policy.api_instance_policy.policy).Statement[10].Resource == [data.terraform_remote_state.cross-stack-reference-input-algoitny-prod-storage.outputs["cross-stack-output-aws_sqs_queue_sqs_jobs_queue_arn"]] && jsondecode(aws_iam_role_policy.api_instance_policy.policy).Statement[3].Resource == [data.terraform_remote_state.cross-stack-reference-input-algoitny-prod-storage.outputs["cross-stack-output-aws_ecr_repository_ecr_algoitny_repository_arn"]] && jsondecode(aws_iam_role_policy.api_instance_policy.policy).Statement[5].Resource == [data.terraform_remote_state.cross-stack-reference-input-algoitny-prod-storage.outputs["cross-stack-output-aws_kms_key_kms_key_arn"]]
    error_message = "The API role may use only the storage stack's table, secret (the application keys, with their key), queue (the Celery broker) and repository"
  }

  assert {
    condition     = strcontains(base64decode(aws_launch_template.worker_launch_template.user_data), "docker pull") && strcontains(base64decode(aws_launch_template.worker_launch_template.user_data), "'celery' '-A' 'config' 'worker'") && strcontains(base64decode(aws_launch_template.worker_launch_template.user_data), "--secret-id 'algoitny-secrets'")
    error_message = "The user data must bootstrap the app as configured"
  }
}
