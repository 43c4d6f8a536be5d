# joblet's network stack in every environment: the asserts its dev and prod stacks share.
# Each environment's own asserts are in tests/terraform/joblet-<environment>-network/.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "network" {
  command = apply

  assert {
    condition     = aws_subnet.network_public_us-east-1a.cidr_block == "10.20.0.0/24" && aws_subnet.network_public_us-east-1a.availability_zone == "us-east-1a" && aws_subnet.network_public_us-east-1b.cidr_block == "10.20.1.0/24" && aws_subnet.network_public_us-east-1b.availability_zone == "us-east-1b" && aws_subnet.network_public_us-east-1c.cidr_block == "10.20.2.0/24" && aws_subnet.network_public_us-east-1c.availability_zone == "us-east-1c"
    error_message = "The public subnets must keep their planned CIDRs, one per AZ"
  }

  assert {
    condition     = aws_subnet.network_private_us-east-1a.cidr_block == "10.20.128.0/20" && aws_subnet.network_private_us-east-1a.availability_zone == "us-east-1a" && aws_subnet.network_private_us-east-1b.cidr_block == "10.20.144.0/20" && aws_subnet.network_private_us-east-1b.availability_zone == "us-east-1b" && aws_subnet.network_private_us-east-1c.cidr_block == "10.20.160.0/20" && aws_subnet.network_private_us-east-1c.availability_zone == "us-east-1c"
    error_message = "The private subnets must keep their planned CIDRs, one per AZ"
  }

  assert {
    condition     = output.private_subnet_ids == [aws_subnet.network_private_us-east-1a.id, aws_subnet.network_private_us-east-1b.id, aws_subnet.network_private_us-east-1c.id]
    error_message = "private_subnet_ids must list the private subnets in AZ order"
  }
}
