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
}
