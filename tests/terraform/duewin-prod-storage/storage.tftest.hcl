# duewin-prod-storage: Duewin's image repository and the app's settings secret (prod).
mock_provider "aws" {
  source = "./tests/mocks"
}

run "storage" {
  command = apply

  assert {
    condition     = aws_kms_key.kms_key.enable_key_rotation && aws_kms_alias.kms_alias.name == "alias/duewin-prod-storage"
    error_message = "The storage key must rotate and carry its alias"
  }

  assert {
    condition     = aws_secretsmanager_secret.secrets_secret_duewin_backend.name == "duewin/backend" && aws_secretsmanager_secret.secrets_secret_duewin_backend.kms_key_id == aws_kms_key.kms_key.arn
    error_message = "The app's secret duewin/backend must exist, encrypted with the storage key"
  }
}
