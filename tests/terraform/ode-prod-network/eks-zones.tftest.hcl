# ode-prod-network: the cluster's subnets check the zone id AWS gives them. In this account
# us-east-1b is use1-az3, where EKS creates no cluster: the apply stops at that subnet, naming
# the zone, before the data and EKS stacks exist (src/constructs/networking/eks-zones.ts).
mock_provider "aws" {
  source = "./tests/mocks"
}

override_resource {
  target = aws_subnet.network_private_us-east-1b
  values = { availability_zone_id = "use1-az3" }
}

run "cluster_subnet_in_a_zone_eks_refuses" {
  command         = apply
  expect_failures = [aws_subnet.network_private_us-east-1b]
}
