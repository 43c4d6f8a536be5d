# joblet-prod-compute: Joblet's NLB with TCP 443 passthrough, and blue/green ASGs on one target group.
# Applied against the mock provider by the harness (npm test); addresses are the stack's public contract.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "compute" {
  command = apply

  assert {
    condition     = aws_lb.nlb_lb.load_balancer_type == "network" && aws_lb.nlb_lb.internal == false && aws_lb.nlb_lb.enable_cross_zone_load_balancing == true && aws_lb.nlb_lb.enable_deletion_protection == true && aws_lb.nlb_lb.security_groups == toset([aws_security_group.nlb_sg_group.id])
    error_message = "The NLB must be internet-facing with cross-zone load balancing and its own security group"
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.nlb_sg_ingress_443_from_anywhere.from_port == 443 && aws_vpc_security_group_ingress_rule.nlb_sg_ingress_443_from_anywhere.cidr_ipv4 == "0.0.0.0/0" && aws_vpc_security_group_egress_rule.nlb_sg_egress_443_to_vpc.cidr_ipv4 == data.terraform_remote_state.cross-stack-reference-input-joblet-prod-network.outputs["cross-stack-output-aws_vpc_network_vpc_cidr_block"]
    error_message = "The NLB security group must admit 443 from clients and send only into the VPC"
  }

  assert {
    condition     = aws_cloudwatch_log_group.app_logs.name == "/aws/ec2/joblet-prod-app" && aws_cloudwatch_log_group.app_logs.retention_in_days == 90
    error_message = "The app logs must go to /aws/ec2/joblet-prod-app, kept 90 days"
  }
}
