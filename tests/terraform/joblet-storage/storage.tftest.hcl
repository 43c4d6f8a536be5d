# joblet's storage stack in every environment: the asserts its dev and prod stacks share.
# Each environment's own asserts are in tests/terraform/joblet-<environment>-storage/.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "secrets" {
  command = apply

  assert {
    condition     = can(regex("^arn:aws:secretsmanager:us-east-1:[0-9]{12}:secret:joblet/\\*$", output.secrets_prefix_arn)) && length(output.secret_arns) == 4
    error_message = "The stack must output the four secrets and the prefix pattern grants are scoped to"
  }
}
