# ode's storage stack in every environment: the asserts its dev and prod stacks share.
# Each environment's own asserts are in tests/terraform/ode-<environment>-storage/.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "buckets" {
  command = apply

  assert {
    condition     = aws_s3_bucket_public_access_block.s3_documents_public_access_block.block_public_acls && aws_s3_bucket_public_access_block.s3_documents_public_access_block.block_public_policy && aws_s3_bucket_public_access_block.s3_documents_public_access_block.ignore_public_acls && aws_s3_bucket_public_access_block.s3_documents_public_access_block.restrict_public_buckets && aws_s3_bucket_ownership_controls.s3_documents_ownership.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "The documents bucket must block all public access and disable ACLs"
  }

  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.s3_documents_encryption.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256" && jsondecode(aws_s3_bucket_policy.s3_documents_policy.policy).Statement[0].Effect == "Deny" && jsondecode(aws_s3_bucket_policy.s3_documents_policy.policy).Statement[0].Condition.Bool["aws:SecureTransport"] == "false"
    error_message = "The documents bucket must be encrypted (SSE-S3) and refuse requests without TLS"
  }

  assert {
    condition     = aws_s3_bucket_public_access_block.s3_exports_public_access_block.block_public_acls && aws_s3_bucket_public_access_block.s3_exports_public_access_block.block_public_policy && aws_s3_bucket_public_access_block.s3_exports_public_access_block.ignore_public_acls && aws_s3_bucket_public_access_block.s3_exports_public_access_block.restrict_public_buckets && aws_s3_bucket_ownership_controls.s3_exports_ownership.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "The exports bucket must block all public access and disable ACLs"
  }

  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.s3_exports_encryption.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256" && jsondecode(aws_s3_bucket_policy.s3_exports_policy.policy).Statement[0].Effect == "Deny" && jsondecode(aws_s3_bucket_policy.s3_exports_policy.policy).Statement[0].Condition.Bool["aws:SecureTransport"] == "false"
    error_message = "The exports bucket must be encrypted (SSE-S3) and refuse requests without TLS"
  }

  assert {
    condition     = aws_s3_bucket_public_access_block.s3_fonts_public_access_block.block_public_acls && aws_s3_bucket_public_access_block.s3_fonts_public_access_block.block_public_policy && aws_s3_bucket_public_access_block.s3_fonts_public_access_block.ignore_public_acls && aws_s3_bucket_public_access_block.s3_fonts_public_access_block.restrict_public_buckets && aws_s3_bucket_ownership_controls.s3_fonts_ownership.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "The fonts bucket must block all public access and disable ACLs"
  }

  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.s3_fonts_encryption.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256" && jsondecode(aws_s3_bucket_policy.s3_fonts_policy.policy).Statement[0].Effect == "Deny" && jsondecode(aws_s3_bucket_policy.s3_fonts_policy.policy).Statement[0].Condition.Bool["aws:SecureTransport"] == "false"
    error_message = "The fonts bucket must be encrypted (SSE-S3) and refuse requests without TLS"
  }

  assert {
    condition     = one([for r in aws_s3_bucket_lifecycle_configuration.s3_documents_lifecycle.rule : [for t in r.transition : "${t.days}:${t.storage_class}"] if r.id == "current-versions"]) == ["90:STANDARD_IA"]
    error_message = "Older documents must move to STANDARD_IA after 90 days"
  }

  assert {
    condition     = one([for r in aws_s3_bucket_lifecycle_configuration.s3_exports_lifecycle.rule : [for e in r.expiration : e.days] if r.id == "current-versions"]) == [30] && one([for r in aws_s3_bucket_lifecycle_configuration.s3_exports_lifecycle.rule : [for x in r.abort_incomplete_multipart_upload : x.days_after_initiation] if r.id == "abort-incomplete-uploads"]) == [7]
    error_message = "Exports must expire after 30 days, and incomplete uploads be aborted after 7"
  }
}

run "repositories" {
  command = apply

  assert {
    condition     = jsondecode(aws_ecr_lifecycle_policy.ecr_api_lifecycle.policy).rules[0].selection.countNumber == 30 && aws_ecr_lifecycle_policy.ecr_api_lifecycle.repository == aws_ecr_repository.ecr_api_repository.name
    error_message = "The api repository must keep the last 30 images"
  }

  assert {
    condition     = jsondecode(aws_ecr_lifecycle_policy.ecr_worker_lifecycle.policy).rules[0].selection.countNumber == 30 && aws_ecr_lifecycle_policy.ecr_worker_lifecycle.repository == aws_ecr_repository.ecr_worker_repository.name
    error_message = "The worker repository must keep the last 30 images"
  }

  assert {
    condition     = jsondecode(aws_ecr_lifecycle_policy.ecr_viewer_lifecycle.policy).rules[0].selection.countNumber == 30 && aws_ecr_lifecycle_policy.ecr_viewer_lifecycle.repository == aws_ecr_repository.ecr_viewer_repository.name
    error_message = "The viewer repository must keep the last 30 images"
  }
}
