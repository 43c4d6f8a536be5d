# muejam-dev-edge: CloudFront in front of the dev ALB, which has no TLS: HTTP to the origin,
# no custom name (CloudFront's default certificate), nothing in Route 53.
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
    condition     = one(aws_cloudfront_distribution.cdn_distribution.origin).domain_name == data.terraform_remote_state.cross-stack-reference-input-muejam-dev-compute.outputs["cross-stack-output-aws_lb_alb_lb_dns_name"] && one(aws_cloudfront_distribution.cdn_distribution.origin).origin_id == "load-balancer" && aws_cloudfront_distribution.cdn_distribution.default_cache_behavior[0].target_origin_id == "load-balancer"
    error_message = "The distribution's only origin, and its default behaviour's target, must be the compute stack's ALB"
  }

  assert {
    condition     = one(aws_cloudfront_distribution.cdn_distribution.origin).custom_origin_config[0].origin_protocol_policy == "http-only" && one(aws_cloudfront_distribution.cdn_distribution.origin).custom_origin_config[0].http_port == 80
    error_message = "The dev ALB serves plain HTTP only: CloudFront must reach it on port 80"
  }

  assert {
    condition     = aws_cloudfront_distribution.cdn_distribution.default_cache_behavior[0].cache_policy_id == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" && aws_cloudfront_distribution.cdn_distribution.default_cache_behavior[0].origin_request_policy_id == "216adef6-5c7f-47e4-b989-5492eafa07d3" && aws_cloudfront_distribution.cdn_distribution.default_cache_behavior[0].allowed_methods == toset(["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"])
    error_message = "The app must not be cached (managed CachingDisabled), get every viewer header, cookie and query string (managed AllViewer), and every method"
  }

  assert {
    condition     = aws_cloudfront_distribution.cdn_distribution.viewer_certificate[0].cloudfront_default_certificate == true && try(length(aws_cloudfront_distribution.cdn_distribution.aliases), 0) == 0 && output.cdn_url == "https://${aws_cloudfront_distribution.cdn_distribution.domain_name}"
    error_message = "Dev has no custom name: CloudFront's default certificate, and the *.cloudfront.net URL"
  }
}
