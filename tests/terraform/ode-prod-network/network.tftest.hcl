# ode-prod-network: ODE's VPC in prod (a NAT gateway per AZ).
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
    condition     = aws_subnet.network_public_us-east-1a.cidr_block == "10.0.0.0/24" && aws_subnet.network_public_us-east-1a.availability_zone == "us-east-1a" && aws_subnet.network_public_us-east-1b.cidr_block == "10.0.1.0/24" && aws_subnet.network_public_us-east-1b.availability_zone == "us-east-1b" && aws_subnet.network_public_us-east-1c.cidr_block == "10.0.2.0/24" && aws_subnet.network_public_us-east-1c.availability_zone == "us-east-1c"
    error_message = "The public subnets must keep their planned CIDRs, one per AZ"
  }

  assert {
    condition     = aws_subnet.network_private_us-east-1a.cidr_block == "10.0.128.0/20" && aws_subnet.network_private_us-east-1a.availability_zone == "us-east-1a" && aws_subnet.network_private_us-east-1b.cidr_block == "10.0.144.0/20" && aws_subnet.network_private_us-east-1b.availability_zone == "us-east-1b" && aws_subnet.network_private_us-east-1c.cidr_block == "10.0.160.0/20" && aws_subnet.network_private_us-east-1c.availability_zone == "us-east-1c"
    error_message = "The private subnets must keep their planned CIDRs, one per AZ"
  }

  assert {
    condition     = aws_subnet.network_isolated_us-east-1a.cidr_block == "10.0.8.0/24" && aws_subnet.network_isolated_us-east-1a.availability_zone == "us-east-1a" && aws_subnet.network_isolated_us-east-1b.cidr_block == "10.0.9.0/24" && aws_subnet.network_isolated_us-east-1b.availability_zone == "us-east-1b" && aws_subnet.network_isolated_us-east-1c.cidr_block == "10.0.10.0/24" && aws_subnet.network_isolated_us-east-1c.availability_zone == "us-east-1c"
    error_message = "The isolated subnets must keep their planned CIDRs, one per AZ"
  }

  assert {
    condition     = aws_cloudwatch_log_group.network_flow_logs_log_group.retention_in_days == 365
    error_message = "Flow logs must be kept 365 days in prod"
  }

  assert {
    condition     = aws_subnet.network_private_us-east-1a.tags["kubernetes.io/cluster/ode-prod-cluster"] == "shared" && aws_subnet.network_public_us-east-1a.tags["kubernetes.io/role/elb"] == "1"
    error_message = "Subnets must carry the EKS discovery tags"
  }

  assert {
    condition     = output.private_subnet_ids == [aws_subnet.network_private_us-east-1a.id, aws_subnet.network_private_us-east-1b.id, aws_subnet.network_private_us-east-1c.id]
    error_message = "private_subnet_ids must list the private subnets in AZ order"
  }
}
