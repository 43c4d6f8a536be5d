# muejam-dev-storage: MueJam's image repository and the app's settings secret (dev).
mock_provider "aws" {
  source = "./tests/mocks"
}

run "storage" {
  command = apply

  assert {
    condition     = aws_kms_key.kms_key.enable_key_rotation && aws_kms_alias.kms_alias.name == "alias/muejam-dev-storage"
    error_message = "The storage key must rotate and carry its alias"
  }

  assert {
    condition     = aws_ecr_repository.ecr_backend_repository.name == "muejam-dev-backend" && aws_ecr_repository.ecr_backend_repository.image_scanning_configuration[0].scan_on_push && aws_ecr_repository.ecr_backend_repository.image_tag_mutability == "MUTABLE"
    error_message = "The ECR repository muejam-dev-backend must scan on push with mutable tags (dev pushes a moving latest)"
  }

  assert {
    condition     = aws_secretsmanager_secret.secrets_secret_muejam-dev_backend.name == "muejam-dev/backend" && aws_secretsmanager_secret.secrets_secret_muejam-dev_backend.kms_key_id == aws_kms_key.kms_key.arn
    error_message = "The app's secret muejam-dev/backend must exist, encrypted with the storage key"
  }
}
