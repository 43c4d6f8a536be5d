# joblet's storage stack in every environment: the asserts its dev and prod stacks share.
# Each environment's own asserts are in tests/terraform/joblet-<environment>-storage/.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "secrets" {
  command = apply

  assert {
    condition     = can(regex("^arn:aws:secretsmanager:us-east-1:[0-9]{12}:secret:joblet/\\*$", output.secrets_prefix_arn)) && length(output.secret_arns) == 5 && contains(keys(output.secret_arns), "joblet/first-boot")
    error_message = "The stack must output the four certificate secrets, the first boot's election secret, and the prefix pattern grants are scoped to"
  }
}
