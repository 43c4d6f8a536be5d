# algoitny-prod-storage: AlgoItny's prerequisites: ECR repository, the main table's protections, application secret (prod).
# Applied against the mock provider by the harness (npm test); addresses are the stack's public contract.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "prerequisites" {
  command = apply

  assert {
    condition     = aws_dynamodb_table.dynamodb_main_table.point_in_time_recovery[0].enabled && aws_dynamodb_table.dynamodb_main_table.server_side_encryption[0].enabled && aws_dynamodb_table.dynamodb_main_table.deletion_protection_enabled == true
    error_message = "The table must have PITR and encryption, and deletion protection per environment"
  }

  assert {
    condition     = aws_ecr_repository.ecr_algoitny_repository.name == "algoitny" && aws_ecr_repository.ecr_algoitny_repository.image_scanning_configuration[0].scan_on_push && aws_ecr_repository.ecr_algoitny_repository.image_tag_mutability == "IMMUTABLE"
    error_message = "The ECR repository algoitny must scan on push with immutable tags"
  }

  assert {
    condition     = aws_secretsmanager_secret.secrets_secret_algoitny-secrets.name == "algoitny-secrets" && aws_secretsmanager_secret.secrets_secret_algoitny-secrets.kms_key_id == aws_kms_key.kms_key.arn && aws_secretsmanager_secret.secrets_secret_algoitny-secrets.recovery_window_in_days == 30 && aws_kms_key.kms_key.enable_key_rotation
    error_message = "The secret algoitny-secrets must exist, encrypted with the rotating storage key"
  }
}
