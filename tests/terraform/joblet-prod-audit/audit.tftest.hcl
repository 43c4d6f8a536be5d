# joblet-prod-audit: Joblet's CloudTrail trail, secret-access and certificate-expiry alerts (prod).
# Applied against the mock provider by the harness (npm test); addresses are the stack's public contract.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "trail" {
  command = apply

  assert {
    condition     = aws_cloudtrail.trail_trail.kms_key_id == aws_kms_key.trail_key_key.arn && aws_kms_key.trail_key_key.enable_key_rotation && aws_kms_key.trail_key_key.deletion_window_in_days == 30
    error_message = "Log files must be encrypted with the rotating audit key"
  }

  assert {
    condition     = aws_cloudtrail.trail_trail.s3_bucket_name == aws_s3_bucket.trail_bucket_bucket.bucket && aws_s3_bucket.trail_bucket_bucket.bucket == "joblet-prod-cloudtrail-517392846021" && aws_s3_bucket_public_access_block.trail_bucket_public_access_block.restrict_public_buckets && aws_s3_bucket_versioning.trail_bucket_versioning.versioning_configuration[0].status == "Enabled"
    error_message = "The trail must deliver to its private, versioned bucket"
  }

  assert {
    condition     = jsondecode(aws_s3_bucket_policy.trail_bucket_policy.policy).Statement[2].Resource == "${aws_s3_bucket.trail_bucket_bucket.arn}/AWSLogs/517392846021/*" && jsondecode(aws_s3_bucket_policy.trail_bucket_policy.policy).Statement[2].Condition.StringEquals["aws:SourceArn"] == "arn:aws:cloudtrail:us-east-1:517392846021:trail/joblet-prod-trail"
    error_message = "Only this trail may write log files, under this account's prefix (account read from the role ARN)"
  }
}
