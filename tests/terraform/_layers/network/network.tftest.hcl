# Asserts every network stack shares, whatever its region, AZs or NAT mode.
# The harness runs them, with the stack's own tests/terraform/<stack>/ asserts, against the mock provider.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "network_layer" {
  command = apply

  assert {
    condition     = aws_route.network_public_internet.gateway_id == aws_internet_gateway.network_igw.id && aws_route.network_public_internet.destination_cidr_block == "0.0.0.0/0"
    error_message = "The public route table must route 0.0.0.0/0 to the internet gateway"
  }

  assert {
    condition     = aws_vpc.network_vpc.enable_dns_support && aws_vpc.network_vpc.enable_dns_hostnames
    error_message = "The VPC must resolve DNS and give instances DNS hostnames"
  }

  assert {
    condition     = length(aws_default_security_group.network_default_sg.ingress) == 0 && length(aws_default_security_group.network_default_sg.egress) == 0
    error_message = "The default security group must have no rules"
  }

  assert {
    condition     = aws_flow_log.network_flow_logs_flow_log.log_destination == aws_cloudwatch_log_group.network_flow_logs_log_group.arn && aws_flow_log.network_flow_logs_flow_log.traffic_type == "ALL"
    error_message = "Flow logs must record all traffic into their own log group"
  }

  assert {
    condition     = jsondecode(aws_iam_role_policy.network_flow_logs_policy.policy).Statement[0].Resource == [aws_cloudwatch_log_group.network_flow_logs_log_group.arn, "${aws_cloudwatch_log_group.network_flow_logs_log_group.arn}:*"]
    error_message = "The flow-log role may only write to its own log group"
  }

  assert {
    condition     = length(output.private_subnet_ids) == length(output.azs) && length(output.private_route_table_ids) == length(output.azs) && length(output.public_route_table_ids) == 1
    error_message = "Each AZ needs a private subnet with its own route table; the public tier shares one"
  }

  assert {
    condition     = length(output.isolated_route_table_ids) == length(output.isolated_subnet_ids)
    error_message = "Each isolated subnet needs its own route table"
  }
}
