# joblet's storage stack in every environment: the asserts its dev and prod stacks share.
# Each environment's own asserts are in tests/terraform/joblet-<environment>-storage/.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "secrets" {
  command = apply

  assert {
    condition     = output.secrets_prefix_arn == "arn:aws:secretsmanager:us-east-1:*:secret:joblet/*" && length(output.secret_arns) == 4
    error_message = "The stack must output the four secrets and the prefix pattern grants are scoped to"
  }
}
