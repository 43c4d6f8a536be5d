# duewin-dev-network: Duewin's VPC in dev (one shared NAT gateway).
# The stack's own asserts (AZ-named addresses, planned CIDRs); tests/terraform/_layers/network/ holds the shared ones.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "network" {
  command = apply

  assert {
    condition     = aws_nat_gateway.network_nat_us-east-1a.subnet_id == aws_subnet.network_public_us-east-1a.id
    error_message = "The shared NAT gateway must sit in the public subnet of us-east-1a"
  }

  assert {
    condition     = alltrue([for r in [aws_route.network_private_nat_us-east-1a, aws_route.network_private_nat_us-east-1b, aws_route.network_private_nat_us-east-1c] : r.nat_gateway_id == aws_nat_gateway.network_nat_us-east-1a.id && r.destination_cidr_block == "0.0.0.0/0"])
    error_message = "Every private route table must send 0.0.0.0/0 through the shared NAT gateway"
  }

  assert {
    condition     = aws_cloudwatch_log_group.network_flow_logs_log_group.retention_in_days == 30
    error_message = "Flow logs must be kept 30 days in dev"
  }
}
