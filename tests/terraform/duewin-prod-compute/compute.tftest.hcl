# duewin-prod-compute: ALB on port 3000 + one ASG with CPU target tracking (HTTPS with redirect).
# Applied against the mock provider by the harness (npm test); addresses are the stack's public contract.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "compute" {
  command = apply

  assert {
    condition     = aws_lb.alb_lb.load_balancer_type == "application" && aws_lb.alb_lb.internal == false && aws_lb.alb_lb.drop_invalid_header_fields == true && aws_lb.alb_lb.enable_deletion_protection == true && aws_lb.alb_lb.security_groups == toset([aws_security_group.alb_sg_group.id])
    error_message = "The ALB must be internet-facing, drop invalid header fields, have deletion protection in prod, and use its own security group"
  }

  assert {
    condition     = aws_lb_listener.alb_https.port == 443 && aws_lb_listener.alb_https.protocol == "HTTPS" && aws_lb_listener.alb_https.ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06" && aws_lb_listener.alb_https.certificate_arn == "arn:aws:acm:us-east-1:517392846021:certificate/5f0c2a4e-8d1b-4c7a-9e3f-2b6d8a1c4e70" && aws_lb_listener.alb_https.default_action[0].type == "forward" && aws_lb_listener.alb_https.default_action[0].target_group_arn == aws_lb_target_group.alb_tg_app.arn
    error_message = "HTTPS on 443 must use the TLS 1.2+ policy and the configured certificate, and forward to the target group"
  }

  assert {
    condition     = aws_lb_listener.alb_http.port == 80 && aws_lb_listener.alb_http.default_action[0].type == "redirect" && aws_lb_listener.alb_http.default_action[0].redirect[0].protocol == "HTTPS" && aws_lb_listener.alb_http.default_action[0].redirect[0].port == "443" && aws_lb_listener.alb_http.default_action[0].redirect[0].status_code == "HTTP_301"
    error_message = "HTTP on 80 must only redirect to HTTPS 443 with a 301"
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.alb_sg_ingress_443_from_anywhere.from_port == 443 && aws_vpc_security_group_ingress_rule.alb_sg_ingress_443_from_anywhere.cidr_ipv4 == "0.0.0.0/0" && aws_vpc_security_group_ingress_rule.alb_sg_ingress_443_from_anywhere.security_group_id == aws_security_group.alb_sg_group.id && aws_vpc_security_group_ingress_rule.alb_sg_ingress_80_from_anywhere.from_port == 80 && aws_vpc_security_group_ingress_rule.alb_sg_ingress_80_from_anywhere.to_port == 80
    error_message = "The ALB security group must admit 443 and 80 (the redirect) from the configured CIDRs"
  }

  assert {
    condition     = aws_vpc_security_group_egress_rule.alb_sg_egress_3000_to_vpc.from_port == 3000 && aws_vpc_security_group_egress_rule.alb_sg_egress_3000_to_vpc.to_port == 3000 && aws_vpc_security_group_egress_rule.alb_sg_egress_3000_to_vpc.cidr_ipv4 == data.terraform_remote_state.cross-stack-reference-input-duewin-prod-network.outputs["cross-stack-output-aws_vpc_network_vpc_cidr_block"]
    error_message = "The ALB may only send to the VPC, on port 3000"
  }

  assert {
    condition     = strcontains(base64decode(aws_launch_template.app_launch_template.user_data), "docker pull") && strcontains(base64decode(aws_launch_template.app_launch_template.user_data), "--publish 3000:3000") && strcontains(base64decode(aws_launch_template.app_launch_template.user_data), "aws ecr get-login-password") && strcontains(base64decode(aws_launch_template.app_launch_template.user_data), "--secret-id 'duewin/backend'") && strcontains(base64decode(aws_launch_template.app_launch_template.user_data), "--log-opt awslogs-group=\"$LOG_GROUP\"") && strcontains(base64decode(aws_launch_template.app_launch_template.user_data), "LOG_GROUP='/aws/ec2/duewin-prod-app'")
    error_message = "The user data must bootstrap the app as configured"
  }

  assert {
    condition     = aws_cloudwatch_log_group.app_logs.name == "/aws/ec2/duewin-prod-app" && aws_cloudwatch_log_group.app_logs.retention_in_days == 90
    error_message = "The app logs must go to /aws/ec2/duewin-prod-app, kept 90 days"
  }
}
