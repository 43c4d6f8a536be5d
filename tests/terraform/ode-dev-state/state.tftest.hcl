# ode-dev-state: ODE's state bucket and lock table in dev (protected like prod: state is never disposable).
# Applied against the mock provider by the harness (npm test). The bucket and table hold every
# other stack's state: they must be private, encrypted, versioned and hard to delete.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "state" {
  command = apply

  assert {
    condition     = aws_s3_bucket.state_bucket_bucket.bucket == "ode-dev-terraform-state" && aws_s3_bucket.state_bucket_bucket.force_destroy == false
    error_message = "The state bucket must be named ode-dev-terraform-state and never force-destroyed"
  }

  assert {
    condition     = aws_dynamodb_table.state_locks_table.name == "ode-dev-terraform-locks" && aws_dynamodb_table.state_locks_table.hash_key == "LockID" && [for a in aws_dynamodb_table.state_locks_table.attribute : a.type if a.name == "LockID"] == ["S"] && aws_dynamodb_table.state_locks_table.billing_mode == "PAY_PER_REQUEST"
    error_message = "The lock table must have the LockID string key the S3 backend uses, billed on demand"
  }
}
