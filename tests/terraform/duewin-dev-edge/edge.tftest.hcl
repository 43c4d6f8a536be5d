# duewin-dev-edge: CloudFront for static assets, from a private bucket read through Origin
# Access Control; no custom name and no Route 53 in dev.
mock_provider "aws" {
  source = "./tests/mocks"
}

mock_provider "aws" {
  alias  = "us_east_1"
  source = "./tests/mocks"
}

run "edge" {
  command = apply

  assert {
    condition     = one(aws_cloudfront_distribution.cdn_distribution.origin).origin_id == "static-assets" && one(aws_cloudfront_distribution.cdn_distribution.origin).domain_name == aws_s3_bucket.static_assets_bucket.bucket_regional_domain_name && one(aws_cloudfront_distribution.cdn_distribution.origin).origin_access_control_id == aws_cloudfront_origin_access_control.cdn_origin_access_control.id && aws_cloudfront_distribution.cdn_distribution.default_cache_behavior[0].target_origin_id == "static-assets"
    error_message = "The distribution must serve the static-assets bucket, by its regional name, through the origin access control"
  }

  assert {
    condition     = aws_cloudfront_origin_access_control.cdn_origin_access_control.origin_access_control_origin_type == "s3" && aws_cloudfront_origin_access_control.cdn_origin_access_control.signing_behavior == "always" && aws_cloudfront_origin_access_control.cdn_origin_access_control.signing_protocol == "sigv4" && aws_cloudfront_origin_access_control.cdn_origin_access_control.name == "duewin-dev-static-assets"
    error_message = "CloudFront must sign every request to the bucket with SigV4"
  }

  assert {
    condition     = jsondecode(aws_s3_bucket_policy.static_assets_policy.policy).Statement[1].Principal.Service == "cloudfront.amazonaws.com" && jsondecode(aws_s3_bucket_policy.static_assets_policy.policy).Statement[1].Action == "s3:GetObject" && jsondecode(aws_s3_bucket_policy.static_assets_policy.policy).Statement[1].Resource == "${aws_s3_bucket.static_assets_bucket.arn}/*" && jsondecode(aws_s3_bucket_policy.static_assets_policy.policy).Statement[1].Condition.StringEquals["AWS:SourceArn"] == aws_cloudfront_distribution.cdn_distribution.arn
    error_message = "The bucket policy may let CloudFront read objects only on behalf of this distribution (AWS:SourceArn)"
  }

  assert {
    condition     = jsondecode(aws_s3_bucket_policy.static_assets_policy.policy).Statement[0].Effect == "Deny" && jsondecode(aws_s3_bucket_policy.static_assets_policy.policy).Statement[0].Condition.Bool["aws:SecureTransport"] == "false" && aws_s3_bucket_public_access_block.static_assets_public_access_block.block_public_policy && aws_s3_bucket_public_access_block.static_assets_public_access_block.restrict_public_buckets && one(aws_s3_bucket_server_side_encryption_configuration.static_assets_encryption.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256"
    error_message = "The bucket must stay private, encrypted and TLS-only"
  }

  assert {
    condition     = aws_cloudfront_distribution.cdn_distribution.default_cache_behavior[0].cache_policy_id == "658327ea-f89d-4fab-a63d-7e88639e58f6" && aws_cloudfront_distribution.cdn_distribution.default_cache_behavior[0].origin_request_policy_id == null && aws_cloudfront_distribution.cdn_distribution.default_cache_behavior[0].allowed_methods == toset(["GET", "HEAD"]) && aws_cloudfront_distribution.cdn_distribution.default_cache_behavior[0].compress
    error_message = "Static assets must be cached with the managed CachingOptimized policy, compressed, GET and HEAD only, with nothing extra forwarded to S3"
  }

  assert {
    condition     = aws_cloudfront_distribution.cdn_distribution.viewer_certificate[0].cloudfront_default_certificate == true && try(length(aws_cloudfront_distribution.cdn_distribution.aliases), 0) == 0
    error_message = "Dev has no custom name: CloudFront's default certificate"
  }
}
