# ode-dev-network: ODE's VPC in dev (one shared NAT gateway).
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
    condition     = aws_cloudwatch_log_group.network_flow_logs_log_group.retention_in_days == 30
    error_message = "Flow logs must be kept 30 days in dev"
  }

  assert {
    condition     = aws_subnet.network_private_us-east-1a.tags["kubernetes.io/cluster/ode-dev-cluster"] == "shared" && aws_subnet.network_public_us-east-1a.tags["kubernetes.io/role/elb"] == "1"
    error_message = "Subnets must carry the EKS discovery tags"
  }

  assert {
    condition     = output.private_subnet_ids == [aws_subnet.network_private_us-east-1a.id, aws_subnet.network_private_us-east-1b.id, aws_subnet.network_private_us-east-1c.id]
    error_message = "private_subnet_ids must list the private subnets in AZ order"
  }
}
