# Asserts every edge stack shares: how viewers reach the CloudFront distribution and how it
# reaches its origins. The harness runs them, with the stack's own tests/terraform/<stack>/
# asserts, against the mock provider. A plan run: these are configured values, and a stack
# with custom names needs its certificate's validation options (its own file fakes them).
mock_provider "aws" {
  source = "./tests/mocks"
}

mock_provider "aws" {
  alias  = "us_east_1"
  source = "./tests/mocks"
}

run "edge_layer" {
  command = plan

  assert {
    condition     = aws_cloudfront_distribution.cdn_distribution.enabled && aws_cloudfront_distribution.cdn_distribution.is_ipv6_enabled && aws_cloudfront_distribution.cdn_distribution.http_version == "http2and3" && aws_cloudfront_distribution.cdn_distribution.price_class == "PriceClass_100"
    error_message = "The distribution must be enabled, serve IPv6 and HTTP/2 and 3, from PriceClass_100 edge locations"
  }

  assert {
    condition     = aws_cloudfront_distribution.cdn_distribution.default_cache_behavior[0].viewer_protocol_policy == "redirect-to-https" && alltrue([for b in aws_cloudfront_distribution.cdn_distribution.ordered_cache_behavior : b.viewer_protocol_policy == "redirect-to-https"])
    error_message = "Every behaviour must redirect HTTP viewers to HTTPS"
  }

  assert {
    condition     = aws_cloudfront_distribution.cdn_distribution.default_cache_behavior[0].response_headers_policy_id == "67f7725c-6f97-4210-82d7-5512b31e9d03" && alltrue([for b in aws_cloudfront_distribution.cdn_distribution.ordered_cache_behavior : b.response_headers_policy_id == "67f7725c-6f97-4210-82d7-5512b31e9d03"])
    error_message = "Every behaviour must add the managed SecurityHeadersPolicy (HSTS, nosniff, frame options)"
  }

  assert {
    condition     = contains(["4135ea2d-6df8-44a3-9df3-4b5a84be39ad", "658327ea-f89d-4fab-a63d-7e88639e58f6"], aws_cloudfront_distribution.cdn_distribution.default_cache_behavior[0].cache_policy_id) && length(aws_cloudfront_distribution.cdn_distribution.default_cache_behavior[0].forwarded_values) == 0
    error_message = "The default behaviour must use a managed cache policy by its fixed id (CachingDisabled to the ALB, CachingOptimized to the bucket), not legacy forwarded values"
  }

  assert {
    condition     = try(length(aws_cloudfront_distribution.cdn_distribution.aliases), 0) == 0 ? aws_cloudfront_distribution.cdn_distribution.viewer_certificate[0].cloudfront_default_certificate == true : (aws_cloudfront_distribution.cdn_distribution.viewer_certificate[0].minimum_protocol_version == "TLSv1.2_2021" && aws_cloudfront_distribution.cdn_distribution.viewer_certificate[0].ssl_support_method == "sni-only" && aws_cloudfront_distribution.cdn_distribution.viewer_certificate[0].cloudfront_default_certificate != true)
    error_message = "Custom names need their own SNI certificate with TLS 1.2+ (TLSv1.2_2021); without them, CloudFront's default certificate"
  }

  assert {
    condition     = alltrue([for o in aws_cloudfront_distribution.cdn_distribution.origin : length(o.custom_origin_config) == 1 ? (o.origin_id == "load-balancer" && o.custom_origin_config[0].origin_ssl_protocols == toset(["TLSv1.2"]) && o.custom_origin_config[0].origin_read_timeout == 60) : (o.origin_id == "static-assets" && length(o.s3_origin_config) == 0)])
    error_message = "Every origin must be the load balancer as a custom origin limited to TLS 1.2, or the static-assets bucket without a legacy origin access identity"
  }

  assert {
    condition     = aws_cloudfront_distribution.cdn_distribution.restrictions[0].geo_restriction[0].restriction_type == "none"
    error_message = "The distribution must not restrict viewers by country unless configured"
  }
}
