# muejam-prod-storage: MueJam's image repository and the app's settings secret (prod).
mock_provider "aws" {
  source = "./tests/mocks"
}

run "storage" {
  command = apply

  assert {
    condition     = aws_kms_key.kms_key.enable_key_rotation && aws_kms_alias.kms_alias.name == "alias/muejam-prod-storage"
    error_message = "The storage key must rotate and carry its alias"
  }

  assert {
    condition     = aws_secretsmanager_secret.secrets_secret_muejam_backend.name == "muejam/backend" && aws_secretsmanager_secret.secrets_secret_muejam_backend.kms_key_id == aws_kms_key.kms_key.arn
    error_message = "The app's secret muejam/backend must exist, encrypted with the storage key"
  }
}
