# ode-prod-storage: ODE's S3 buckets (documents, exports, fonts) and ECR repositories (prod).
# Applied against the mock provider by the harness (npm test); addresses are the stack's public contract.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "buckets" {
  command = apply

  assert {
    condition     = aws_s3_bucket.s3_documents_bucket.bucket == "ode-prod-documents-517392846021" && aws_s3_bucket.s3_documents_bucket.force_destroy == false && aws_s3_bucket_versioning.s3_documents_versioning.versioning_configuration[0].status == "Enabled"
    error_message = "The documents bucket must be named ode-prod-documents, versioned, and never force-destroyed"
  }

  assert {
    condition     = aws_s3_bucket_logging.s3_documents_logging.target_bucket == aws_s3_bucket.s3_access_logs_bucket.bucket && aws_s3_bucket_logging.s3_documents_logging.target_prefix == "ode-prod-documents-517392846021/"
    error_message = "The documents bucket must log access to the access-log bucket"
  }

  assert {
    condition     = aws_s3_bucket.s3_exports_bucket.bucket == "ode-prod-exports-517392846021" && aws_s3_bucket.s3_exports_bucket.force_destroy == false && aws_s3_bucket_versioning.s3_exports_versioning.versioning_configuration[0].status == "Enabled"
    error_message = "The exports bucket must be named ode-prod-exports, versioned, and never force-destroyed"
  }

  assert {
    condition     = aws_s3_bucket_logging.s3_exports_logging.target_bucket == aws_s3_bucket.s3_access_logs_bucket.bucket && aws_s3_bucket_logging.s3_exports_logging.target_prefix == "ode-prod-exports-517392846021/"
    error_message = "The exports bucket must log access to the access-log bucket"
  }

  assert {
    condition     = aws_s3_bucket.s3_fonts_bucket.bucket == "ode-prod-fonts-517392846021" && aws_s3_bucket.s3_fonts_bucket.force_destroy == false && aws_s3_bucket_versioning.s3_fonts_versioning.versioning_configuration[0].status == "Enabled"
    error_message = "The fonts bucket must be named ode-prod-fonts, versioned, and never force-destroyed"
  }

  assert {
    condition     = aws_s3_bucket_logging.s3_fonts_logging.target_bucket == aws_s3_bucket.s3_access_logs_bucket.bucket && aws_s3_bucket_logging.s3_fonts_logging.target_prefix == "ode-prod-fonts-517392846021/"
    error_message = "The fonts bucket must log access to the access-log bucket"
  }

  assert {
    condition     = contains(jsondecode(aws_s3_bucket_policy.s3_access_logs_policy.policy).Statement[1].Condition.ArnLike["aws:SourceArn"], "arn:aws:s3:::ode-prod-documents-517392846021") && jsondecode(aws_s3_bucket_policy.s3_access_logs_policy.policy).Statement[1].Principal.Service == "logging.s3.amazonaws.com"
    error_message = "Only S3 log delivery, for this stack's buckets, may write to the access-log bucket"
  }
}

run "repositories" {
  command = apply

  assert {
    condition     = aws_ecr_repository.ecr_api_repository.name == "ode-prod/api" && aws_ecr_repository.ecr_api_repository.image_scanning_configuration[0].scan_on_push && aws_ecr_repository.ecr_api_repository.image_tag_mutability == "IMMUTABLE" && aws_ecr_repository.ecr_api_repository.encryption_configuration[0].encryption_type == "AES256" && aws_ecr_repository.ecr_api_repository.force_delete == false
    error_message = "The api repository must scan on push, keep tags immutable and be encrypted"
  }

  assert {
    condition     = aws_ecr_repository.ecr_worker_repository.name == "ode-prod/worker" && aws_ecr_repository.ecr_worker_repository.image_scanning_configuration[0].scan_on_push && aws_ecr_repository.ecr_worker_repository.image_tag_mutability == "IMMUTABLE" && aws_ecr_repository.ecr_worker_repository.encryption_configuration[0].encryption_type == "AES256" && aws_ecr_repository.ecr_worker_repository.force_delete == false
    error_message = "The worker repository must scan on push, keep tags immutable and be encrypted"
  }

  assert {
    condition     = aws_ecr_repository.ecr_viewer_repository.name == "ode-prod/viewer" && aws_ecr_repository.ecr_viewer_repository.image_scanning_configuration[0].scan_on_push && aws_ecr_repository.ecr_viewer_repository.image_tag_mutability == "IMMUTABLE" && aws_ecr_repository.ecr_viewer_repository.encryption_configuration[0].encryption_type == "AES256" && aws_ecr_repository.ecr_viewer_repository.force_delete == false
    error_message = "The viewer repository must scan on push, keep tags immutable and be encrypted"
  }
}
