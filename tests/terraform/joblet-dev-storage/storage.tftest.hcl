# joblet-dev-storage: Joblet's shared certificate secrets (joblet/*) and their KMS key (dev).
# Applied against the mock provider by the harness (npm test); addresses are the stack's public contract.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "secrets" {
  command = apply

  assert {
    condition     = aws_secretsmanager_secret.secrets_secret_joblet_ca-cert.name == "joblet/ca-cert" && aws_secretsmanager_secret.secrets_secret_joblet_ca-cert.kms_key_id == aws_kms_key.kms_key.arn && aws_secretsmanager_secret.secrets_secret_joblet_ca-cert.recovery_window_in_days == 0
    error_message = "The secret joblet/ca-cert must exist, be encrypted with the storage key and be deleted at once with the dev environment"
  }

  assert {
    condition     = aws_secretsmanager_secret.secrets_secret_joblet_ca-key.name == "joblet/ca-key" && aws_secretsmanager_secret.secrets_secret_joblet_ca-key.kms_key_id == aws_kms_key.kms_key.arn && aws_secretsmanager_secret.secrets_secret_joblet_ca-key.recovery_window_in_days == 0
    error_message = "The secret joblet/ca-key must exist, be encrypted with the storage key and be deleted at once with the dev environment"
  }

  assert {
    condition     = aws_secretsmanager_secret.secrets_secret_joblet_client-cert.name == "joblet/client-cert" && aws_secretsmanager_secret.secrets_secret_joblet_client-cert.kms_key_id == aws_kms_key.kms_key.arn && aws_secretsmanager_secret.secrets_secret_joblet_client-cert.recovery_window_in_days == 0
    error_message = "The secret joblet/client-cert must exist, be encrypted with the storage key and be deleted at once with the dev environment"
  }

  assert {
    condition     = aws_secretsmanager_secret.secrets_secret_joblet_client-key.name == "joblet/client-key" && aws_secretsmanager_secret.secrets_secret_joblet_client-key.kms_key_id == aws_kms_key.kms_key.arn && aws_secretsmanager_secret.secrets_secret_joblet_client-key.recovery_window_in_days == 0
    error_message = "The secret joblet/client-key must exist, be encrypted with the storage key and be deleted at once with the dev environment"
  }

  assert {
    condition     = aws_kms_key.kms_key.enable_key_rotation && aws_kms_key.kms_key.deletion_window_in_days == 7 && aws_kms_alias.kms_alias.target_key_id == aws_kms_key.kms_key.key_id && aws_kms_alias.kms_alias.name == "alias/joblet-dev-storage"
    error_message = "The storage key must rotate, have a recovery window and an alias"
  }
}
