# algoitny's network stack in every environment: the asserts its dev and prod stacks share.
# Each environment's own asserts are in tests/terraform/algoitny-<environment>-network/.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "network" {
  command = apply

  assert {
    condition     = aws_subnet.network_public_ap-northeast-2a.cidr_block == "10.30.0.0/24" && aws_subnet.network_public_ap-northeast-2a.availability_zone == "ap-northeast-2a" && aws_subnet.network_public_ap-northeast-2b.cidr_block == "10.30.1.0/24" && aws_subnet.network_public_ap-northeast-2b.availability_zone == "ap-northeast-2b" && aws_subnet.network_public_ap-northeast-2c.cidr_block == "10.30.2.0/24" && aws_subnet.network_public_ap-northeast-2c.availability_zone == "ap-northeast-2c"
    error_message = "The public subnets must keep their planned CIDRs, one per AZ"
  }

  assert {
    condition     = aws_subnet.network_private_ap-northeast-2a.cidr_block == "10.30.64.0/20" && aws_subnet.network_private_ap-northeast-2a.availability_zone == "ap-northeast-2a" && aws_subnet.network_private_ap-northeast-2b.cidr_block == "10.30.80.0/20" && aws_subnet.network_private_ap-northeast-2b.availability_zone == "ap-northeast-2b" && aws_subnet.network_private_ap-northeast-2c.cidr_block == "10.30.96.0/20" && aws_subnet.network_private_ap-northeast-2c.availability_zone == "ap-northeast-2c"
    error_message = "The private subnets must keep their planned CIDRs, one per AZ"
  }

  assert {
    condition     = output.private_subnet_ids == [aws_subnet.network_private_ap-northeast-2a.id, aws_subnet.network_private_ap-northeast-2b.id, aws_subnet.network_private_ap-northeast-2c.id]
    error_message = "private_subnet_ids must list the private subnets in AZ order"
  }
}
