# algoitny-dev-storage: AlgoItny's prerequisites: ECR repository, the main table's protections, application secret (dev).
# Applied against the mock provider by the harness (npm test); addresses are the stack's public contract.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "prerequisites" {
  command = apply

  assert {
    condition     = aws_dynamodb_table.dynamodb_main_table.point_in_time_recovery[0].enabled && aws_dynamodb_table.dynamodb_main_table.server_side_encryption[0].enabled && aws_dynamodb_table.dynamodb_main_table.deletion_protection_enabled == false
    error_message = "The table must have PITR and encryption, and deletion protection per environment"
  }

  assert {
    condition     = aws_ecr_repository.ecr_algoitny_repository.name == "algoitny-dev" && aws_ecr_repository.ecr_algoitny_repository.image_scanning_configuration[0].scan_on_push && aws_ecr_repository.ecr_algoitny_repository.image_tag_mutability == "MUTABLE"
    error_message = "The ECR repository algoitny-dev must scan on push with mutable tags (dev pushes a moving latest)"
  }

  assert {
    condition     = aws_secretsmanager_secret.secrets_secret_algoitny-dev-secrets.name == "algoitny-dev-secrets" && aws_secretsmanager_secret.secrets_secret_algoitny-dev-secrets.kms_key_id == aws_kms_key.kms_key.arn && aws_secretsmanager_secret.secrets_secret_algoitny-dev-secrets.recovery_window_in_days == 0 && aws_kms_key.kms_key.enable_key_rotation
    error_message = "The secret algoitny-dev-secrets must exist, encrypted with the rotating storage key"
  }
}
