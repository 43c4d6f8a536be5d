# algoitny's services stack in every environment: the asserts its dev and prod stacks share.
# Each environment's own asserts are in tests/terraform/algoitny-<environment>-services/.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "services" {
  command = apply

  assert {
    condition     = aws_lb_target_group.alb_tg_api.port == 8000 && aws_lb_target_group.alb_tg_api.protocol == "HTTP" && aws_lb_target_group.alb_tg_api.health_check[0].path == "/api/health/" && aws_lb_target_group.alb_tg_api.health_check[0].interval == 30 && aws_lb_target_group.alb_tg_api.health_check[0].timeout == 5 && aws_lb_target_group.alb_tg_api.health_check[0].healthy_threshold == 2 && aws_lb_target_group.alb_tg_api.health_check[0].unhealthy_threshold == 3 && aws_lb_target_group.alb_tg_api.health_check[0].matcher == "200"
    error_message = "The target group must send to port 8000 and check /api/health/ every 30 s (timeout 5 s, 2 healthy, 3 unhealthy, 200)"
  }

  assert {
    condition     = aws_lb_target_group.alb_tg_api.deregistration_delay == "60" && aws_lb_target_group.alb_tg_api.stickiness[0].type == "lb_cookie" && aws_lb_target_group.alb_tg_api.stickiness[0].enabled == true && aws_lb_target_group.alb_tg_api.stickiness[0].cookie_duration == 86400
    error_message = "The target group must drain for 60 s and keep sessions sticky with a load-balancer cookie"
  }

  assert {
    condition     = output.target_group_arn == aws_lb_target_group.alb_tg_api.arn && output.target_group_arn_suffix == aws_lb_target_group.alb_tg_api.arn_suffix && output.load_balancer_arn_suffix == aws_lb.alb_lb.arn_suffix && output.load_balancer_security_group_id == aws_security_group.alb_sg_group.id && output.load_balancer_dns_name == aws_lb.alb_lb.dns_name
    error_message = "The services state must export what the compute state consumes: target group ARN, the arn_suffix pair, the ALB security group, the DNS name"
  }
}
