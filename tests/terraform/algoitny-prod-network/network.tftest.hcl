# algoitny-prod-network: AlgoItny's VPC in prod (a NAT gateway per AZ).
# The stack's own asserts (AZ-named addresses, planned CIDRs); tests/terraform/_layers/network/ holds the shared ones.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "network" {
  command = apply

  assert {
    condition     = aws_nat_gateway.network_nat_ap-northeast-2a.subnet_id == aws_subnet.network_public_ap-northeast-2a.id && aws_route.network_private_nat_ap-northeast-2a.nat_gateway_id == aws_nat_gateway.network_nat_ap-northeast-2a.id
    error_message = "ap-northeast-2a must have its own NAT gateway in its public subnet, used by its private route table"
  }

  assert {
    condition     = aws_nat_gateway.network_nat_ap-northeast-2b.subnet_id == aws_subnet.network_public_ap-northeast-2b.id && aws_route.network_private_nat_ap-northeast-2b.nat_gateway_id == aws_nat_gateway.network_nat_ap-northeast-2b.id
    error_message = "ap-northeast-2b must have its own NAT gateway in its public subnet, used by its private route table"
  }

  assert {
    condition     = aws_nat_gateway.network_nat_ap-northeast-2c.subnet_id == aws_subnet.network_public_ap-northeast-2c.id && aws_route.network_private_nat_ap-northeast-2c.nat_gateway_id == aws_nat_gateway.network_nat_ap-northeast-2c.id
    error_message = "ap-northeast-2c must have its own NAT gateway in its public subnet, used by its private route table"
  }

  assert {
    condition     = aws_cloudwatch_log_group.network_flow_logs_log_group.retention_in_days == 365
    error_message = "Flow logs must be kept 365 days in prod"
  }
}
