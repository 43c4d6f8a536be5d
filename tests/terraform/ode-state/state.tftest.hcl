# ode's state stack in every environment: the asserts its dev and prod stacks share.
# Each environment's own asserts are in tests/terraform/ode-<environment>-state/.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "state" {
  command = apply

  assert {
    condition     = aws_s3_bucket_versioning.state_bucket_versioning.bucket == aws_s3_bucket.state_bucket_bucket.id && aws_s3_bucket_versioning.state_bucket_versioning.versioning_configuration[0].status == "Enabled"
    error_message = "The state bucket must keep every version of every state"
  }

  assert {
    condition     = aws_s3_bucket_server_side_encryption_configuration.state_bucket_encryption.bucket == aws_s3_bucket.state_bucket_bucket.id && [for r in aws_s3_bucket_server_side_encryption_configuration.state_bucket_encryption.rule : r.apply_server_side_encryption_by_default[0].sse_algorithm] == ["AES256"]
    error_message = "The state bucket must encrypt objects at rest (SSE-S3 by default)"
  }

  assert {
    condition     = aws_s3_bucket_public_access_block.state_bucket_public_access_block.bucket == aws_s3_bucket.state_bucket_bucket.id && aws_s3_bucket_public_access_block.state_bucket_public_access_block.block_public_acls && aws_s3_bucket_public_access_block.state_bucket_public_access_block.block_public_policy && aws_s3_bucket_public_access_block.state_bucket_public_access_block.ignore_public_acls && aws_s3_bucket_public_access_block.state_bucket_public_access_block.restrict_public_buckets
    error_message = "All four public access block flags must be on for the state bucket"
  }

  assert {
    condition     = aws_s3_bucket_ownership_controls.state_bucket_ownership.bucket == aws_s3_bucket.state_bucket_bucket.id && aws_s3_bucket_ownership_controls.state_bucket_ownership.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "The state bucket must disable ACLs (BucketOwnerEnforced)"
  }

  assert {
    condition     = jsondecode(aws_s3_bucket_policy.state_bucket_policy.policy).Statement[0].Effect == "Deny" && jsondecode(aws_s3_bucket_policy.state_bucket_policy.policy).Statement[0].Condition.Bool["aws:SecureTransport"] == "false" && jsondecode(aws_s3_bucket_policy.state_bucket_policy.policy).Statement[0].Resource == [aws_s3_bucket.state_bucket_bucket.arn, "${aws_s3_bucket.state_bucket_bucket.arn}/*"]
    error_message = "The state bucket's policy must deny every request without TLS, on the bucket and its objects"
  }

  assert {
    condition     = [for r in aws_s3_bucket_lifecycle_configuration.state_bucket_lifecycle.rule : r.noncurrent_version_expiration[0].noncurrent_days if r.id == "noncurrent-versions"] == [90] && [for r in aws_s3_bucket_lifecycle_configuration.state_bucket_lifecycle.rule : r.abort_incomplete_multipart_upload[0].days_after_initiation if r.id == "abort-incomplete-uploads"] == [7]
    error_message = "Old state versions must expire after 90 days and incomplete uploads be aborted after 7"
  }

  assert {
    condition     = aws_dynamodb_table.state_locks_table.point_in_time_recovery[0].enabled && aws_dynamodb_table.state_locks_table.server_side_encryption[0].enabled && aws_dynamodb_table.state_locks_table.deletion_protection_enabled
    error_message = "The lock table must have point-in-time recovery, encryption and deletion protection"
  }

  assert {
    condition     = output.state_bucket_name == aws_s3_bucket.state_bucket_bucket.bucket && output.state_bucket_arn == aws_s3_bucket.state_bucket_bucket.arn && output.lock_table_name == aws_dynamodb_table.state_locks_table.name && output.region == "us-east-1"
    error_message = "The outputs must name the bucket, its ARN, the table and the region that backends use"
  }
}
