# ode-dev-storage: ODE's S3 buckets (documents, exports, fonts) and ECR repositories (dev).
# Applied against the mock provider by the harness (npm test); addresses are the stack's public contract.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "buckets" {
  command = apply

  assert {
    condition     = aws_s3_bucket.s3_documents_bucket.bucket == "ode-dev-documents" && aws_s3_bucket.s3_documents_bucket.force_destroy == false && aws_s3_bucket_versioning.s3_documents_versioning.versioning_configuration[0].status == "Enabled"
    error_message = "The documents bucket must be named ode-dev-documents, versioned, and never force-destroyed"
  }

  assert {
    condition     = aws_s3_bucket_public_access_block.s3_documents_public_access_block.block_public_acls && aws_s3_bucket_public_access_block.s3_documents_public_access_block.block_public_policy && aws_s3_bucket_public_access_block.s3_documents_public_access_block.ignore_public_acls && aws_s3_bucket_public_access_block.s3_documents_public_access_block.restrict_public_buckets && aws_s3_bucket_ownership_controls.s3_documents_ownership.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "The documents bucket must block all public access and disable ACLs"
  }

  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.s3_documents_encryption.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256" && jsondecode(aws_s3_bucket_policy.s3_documents_policy.policy).Statement[0].Effect == "Deny" && jsondecode(aws_s3_bucket_policy.s3_documents_policy.policy).Statement[0].Condition.Bool["aws:SecureTransport"] == "false"
    error_message = "The documents bucket must be encrypted (SSE-S3) and refuse requests without TLS"
  }

  assert {
    condition     = aws_s3_bucket_logging.s3_documents_logging.target_bucket == aws_s3_bucket.s3_access_logs_bucket.bucket && aws_s3_bucket_logging.s3_documents_logging.target_prefix == "ode-dev-documents/"
    error_message = "The documents bucket must log access to the access-log bucket"
  }

  assert {
    condition     = aws_s3_bucket.s3_exports_bucket.bucket == "ode-dev-exports" && aws_s3_bucket.s3_exports_bucket.force_destroy == false && aws_s3_bucket_versioning.s3_exports_versioning.versioning_configuration[0].status == "Enabled"
    error_message = "The exports bucket must be named ode-dev-exports, versioned, and never force-destroyed"
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
    condition     = aws_s3_bucket_logging.s3_exports_logging.target_bucket == aws_s3_bucket.s3_access_logs_bucket.bucket && aws_s3_bucket_logging.s3_exports_logging.target_prefix == "ode-dev-exports/"
    error_message = "The exports bucket must log access to the access-log bucket"
  }

  assert {
    condition     = aws_s3_bucket.s3_fonts_bucket.bucket == "ode-dev-fonts" && aws_s3_bucket.s3_fonts_bucket.force_destroy == false && aws_s3_bucket_versioning.s3_fonts_versioning.versioning_configuration[0].status == "Enabled"
    error_message = "The fonts bucket must be named ode-dev-fonts, versioned, and never force-destroyed"
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
    condition     = aws_s3_bucket_logging.s3_fonts_logging.target_bucket == aws_s3_bucket.s3_access_logs_bucket.bucket && aws_s3_bucket_logging.s3_fonts_logging.target_prefix == "ode-dev-fonts/"
    error_message = "The fonts bucket must log access to the access-log bucket"
  }

  assert {
    condition     = one([for r in aws_s3_bucket_lifecycle_configuration.s3_documents_lifecycle.rule : [for t in r.transition : "${t.days}:${t.storage_class}"] if r.id == "current-versions"]) == ["90:STANDARD_IA"]
    error_message = "Older documents must move to STANDARD_IA after 90 days"
  }

  assert {
    condition     = one([for r in aws_s3_bucket_lifecycle_configuration.s3_exports_lifecycle.rule : [for e in r.expiration : e.days] if r.id == "current-versions"]) == [30] && one([for r in aws_s3_bucket_lifecycle_configuration.s3_exports_lifecycle.rule : [for x in r.abort_incomplete_multipart_upload : x.days_after_initiation] if r.id == "abort-incomplete-uploads"]) == [7]
    error_message = "Exports must expire after 30 days, and incomplete uploads be aborted after 7"
  }

  assert {
    condition     = contains(jsondecode(aws_s3_bucket_policy.s3_access_logs_policy.policy).Statement[1].Condition.ArnLike["aws:SourceArn"], "arn:aws:s3:::ode-dev-documents") && jsondecode(aws_s3_bucket_policy.s3_access_logs_policy.policy).Statement[1].Principal.Service == "logging.s3.amazonaws.com"
    error_message = "Only S3 log delivery, for this stack's buckets, may write to the access-log bucket"
  }
}

run "repositories" {
  command = apply

  assert {
    condition     = aws_ecr_repository.ecr_api_repository.name == "ode-dev/api" && aws_ecr_repository.ecr_api_repository.image_scanning_configuration[0].scan_on_push && aws_ecr_repository.ecr_api_repository.image_tag_mutability == "IMMUTABLE" && aws_ecr_repository.ecr_api_repository.encryption_configuration[0].encryption_type == "AES256" && aws_ecr_repository.ecr_api_repository.force_delete == false
    error_message = "The api repository must scan on push, keep tags immutable and be encrypted"
  }

  assert {
    condition     = jsondecode(aws_ecr_lifecycle_policy.ecr_api_lifecycle.policy).rules[0].selection.countNumber == 30 && aws_ecr_lifecycle_policy.ecr_api_lifecycle.repository == aws_ecr_repository.ecr_api_repository.name
    error_message = "The api repository must keep the last 30 images"
  }

  assert {
    condition     = aws_ecr_repository.ecr_worker_repository.name == "ode-dev/worker" && aws_ecr_repository.ecr_worker_repository.image_scanning_configuration[0].scan_on_push && aws_ecr_repository.ecr_worker_repository.image_tag_mutability == "IMMUTABLE" && aws_ecr_repository.ecr_worker_repository.encryption_configuration[0].encryption_type == "AES256" && aws_ecr_repository.ecr_worker_repository.force_delete == false
    error_message = "The worker repository must scan on push, keep tags immutable and be encrypted"
  }

  assert {
    condition     = jsondecode(aws_ecr_lifecycle_policy.ecr_worker_lifecycle.policy).rules[0].selection.countNumber == 30 && aws_ecr_lifecycle_policy.ecr_worker_lifecycle.repository == aws_ecr_repository.ecr_worker_repository.name
    error_message = "The worker repository must keep the last 30 images"
  }

  assert {
    condition     = aws_ecr_repository.ecr_viewer_repository.name == "ode-dev/viewer" && aws_ecr_repository.ecr_viewer_repository.image_scanning_configuration[0].scan_on_push && aws_ecr_repository.ecr_viewer_repository.image_tag_mutability == "IMMUTABLE" && aws_ecr_repository.ecr_viewer_repository.encryption_configuration[0].encryption_type == "AES256" && aws_ecr_repository.ecr_viewer_repository.force_delete == false
    error_message = "The viewer repository must scan on push, keep tags immutable and be encrypted"
  }

  assert {
    condition     = jsondecode(aws_ecr_lifecycle_policy.ecr_viewer_lifecycle.policy).rules[0].selection.countNumber == 30 && aws_ecr_lifecycle_policy.ecr_viewer_lifecycle.repository == aws_ecr_repository.ecr_viewer_repository.name
    error_message = "The viewer repository must keep the last 30 images"
  }
}
