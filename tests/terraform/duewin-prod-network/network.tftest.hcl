# duewin-prod-network: Duewin's VPC in prod (a NAT gateway per AZ).
# The stack's own asserts (AZ-named addresses, planned CIDRs); tests/terraform/_layers/network/ holds the shared ones.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "network" {
  command = apply

  assert {
    condition     = aws_nat_gateway.network_nat_us-east-1a.subnet_id == aws_subnet.network_public_us-east-1a.id && aws_route.network_private_nat_us-east-1a.nat_gateway_id == aws_nat_gateway.network_nat_us-east-1a.id
    error_message = "us-east-1a must have its own NAT gateway in its public subnet, used by its private route table"
  }

  assert {
    condition     = aws_nat_gateway.network_nat_us-east-1b.subnet_id == aws_subnet.network_public_us-east-1b.id && aws_route.network_private_nat_us-east-1b.nat_gateway_id == aws_nat_gateway.network_nat_us-east-1b.id
    error_message = "us-east-1b must have its own NAT gateway in its public subnet, used by its private route table"
  }

  assert {
    condition     = aws_nat_gateway.network_nat_us-east-1c.subnet_id == aws_subnet.network_public_us-east-1c.id && aws_route.network_private_nat_us-east-1c.nat_gateway_id == aws_nat_gateway.network_nat_us-east-1c.id
    error_message = "us-east-1c must have its own NAT gateway in its public subnet, used by its private route table"
  }

  assert {
    condition     = aws_cloudwatch_log_group.network_flow_logs_log_group.retention_in_days == 365
    error_message = "Flow logs must be kept 365 days in prod"
  }
}
