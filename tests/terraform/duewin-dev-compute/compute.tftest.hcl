# duewin-dev-compute: ALB on port 3000 + one ASG with CPU target tracking (TLS explicitly off).
# Applied against the mock provider by the harness (npm test); addresses are the stack's public contract.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "compute" {
  command = apply

  assert {
    condition     = aws_lb.alb_lb.load_balancer_type == "application" && aws_lb.alb_lb.internal == false && aws_lb.alb_lb.drop_invalid_header_fields == true && aws_lb.alb_lb.enable_deletion_protection == false && aws_lb.alb_lb.security_groups == toset([aws_security_group.alb_sg_group.id])
    error_message = "The ALB must be internet-facing, drop invalid header fields, not have deletion protection in dev, and use its own security group"
  }

  assert {
    condition     = aws_lb_listener.alb_http.port == 80 && aws_lb_listener.alb_http.protocol == "HTTP" && aws_lb_listener.alb_http.default_action[0].type == "forward" && aws_lb_listener.alb_http.default_action[0].target_group_arn == aws_lb_target_group.alb_tg_app.arn
    error_message = "With TLS explicitly off (dev), the HTTP listener forwards to the target group"
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.alb_sg_ingress_80_from_anywhere.from_port == 80 && aws_vpc_security_group_ingress_rule.alb_sg_ingress_80_from_anywhere.to_port == 80 && aws_vpc_security_group_ingress_rule.alb_sg_ingress_80_from_anywhere.cidr_ipv4 == "0.0.0.0/0"
    error_message = "With TLS off, the ALB security group admits 80 only"
  }

  assert {
    condition     = aws_vpc_security_group_egress_rule.alb_sg_egress_3000_to_vpc.from_port == 3000 && aws_vpc_security_group_egress_rule.alb_sg_egress_3000_to_vpc.to_port == 3000 && aws_vpc_security_group_egress_rule.alb_sg_egress_3000_to_vpc.cidr_ipv4 == data.terraform_remote_state.cross-stack-reference-input-duewin-dev-network.outputs["cross-stack-output-aws_vpc_network_vpc_cidr_block"]
    error_message = "The ALB may only send to the VPC, on port 3000"
  }

  assert {
    condition     = strcontains(base64decode(aws_launch_template.app_launch_template.user_data), "docker pull") && strcontains(base64decode(aws_launch_template.app_launch_template.user_data), "--publish 3000:3000") && strcontains(base64decode(aws_launch_template.app_launch_template.user_data), "aws ecr get-login-password") && strcontains(base64decode(aws_launch_template.app_launch_template.user_data), "--secret-id 'duewin-dev/backend'") && strcontains(base64decode(aws_launch_template.app_launch_template.user_data), "--log-opt awslogs-group=\"$LOG_GROUP\"") && strcontains(base64decode(aws_launch_template.app_launch_template.user_data), "LOG_GROUP='/aws/ec2/duewin-dev-app'")
    error_message = "The user data must bootstrap the app as configured"
  }

  assert {
    condition     = aws_cloudwatch_log_group.app_logs.name == "/aws/ec2/duewin-dev-app" && aws_cloudwatch_log_group.app_logs.retention_in_days == 30
    error_message = "The app logs must go to /aws/ec2/duewin-dev-app, kept 30 days"
  }
}
