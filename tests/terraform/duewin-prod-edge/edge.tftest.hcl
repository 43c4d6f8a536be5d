# duewin-prod-edge: static assets on static.duewin.harness-inputs.net through CloudFront and OAC,
# and api.duewin.harness-inputs.net aliased to the ALB with an HTTPS health check of /health and
# its alarm in us-east-1 (the user's domain, here the test inputs',
# in their existing hosted zone: no zone is created, so certificate validation never waits on a delegation).
mock_provider "aws" {
  source = "./tests/mocks"
}

mock_provider "aws" {
  alias  = "us_east_1"
  source = "./tests/mocks"
}

# What ACM returns for the name (the mock provider would leave the set empty).
override_resource {
  target = aws_acm_certificate.cdn_tls_certificate
  values = {
    arn = "arn:aws:acm:us-east-1:517392846021:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    domain_validation_options = [
      {
        domain_name           = "static.duewin.harness-inputs.net"
        resource_record_name  = "_5e2f0d3c1b4a69788796a5b4c3d2e1f0.static.duewin.harness-inputs.net."
        resource_record_type  = "CNAME"
        resource_record_value = "_9a8b7c6d5e4f30211203f4e5d6c7b8a9.acm-validations.aws."
      },
    ]
  }
}

run "edge" {
  command = apply

  assert {
    condition     = one(aws_cloudfront_distribution.cdn_distribution.origin).origin_access_control_id == aws_cloudfront_origin_access_control.cdn_origin_access_control.id && jsondecode(aws_s3_bucket_policy.static_assets_policy.policy).Statement[1].Condition.StringEquals["AWS:SourceArn"] == aws_cloudfront_distribution.cdn_distribution.arn && jsondecode(aws_s3_bucket_policy.static_assets_policy.policy).Statement[1].Principal.Service == "cloudfront.amazonaws.com"
    error_message = "The bucket must be read through OAC, and only on behalf of this distribution"
  }

  assert {
    condition     = aws_cloudfront_distribution.cdn_distribution.default_cache_behavior[0].cache_policy_id == "658327ea-f89d-4fab-a63d-7e88639e58f6" && aws_cloudfront_distribution.cdn_distribution.aliases == toset(["static.duewin.harness-inputs.net"]) && aws_cloudfront_distribution.cdn_distribution.viewer_certificate[0].acm_certificate_arn == aws_acm_certificate_validation.cdn_tls_validation.certificate_arn && aws_cloudfront_distribution.cdn_distribution.viewer_certificate[0].minimum_protocol_version == "TLSv1.2_2021"
    error_message = "static.duewin.harness-inputs.net must serve cached assets with its validated certificate, TLS 1.2+ only"
  }

  assert {
    condition     = aws_route53_record.cdn_tls_validation_record_static.name == "_5e2f0d3c1b4a69788796a5b4c3d2e1f0.static.duewin.harness-inputs.net." && aws_route53_record.cdn_tls_validation_record_static.zone_id == "Z0HARNESSDUEWINPRD" && aws_acm_certificate_validation.cdn_tls_validation.validation_record_fqdns == toset([aws_route53_record.cdn_tls_validation_record_static.fqdn])
    error_message = "The certificate must be validated through ACM's CNAME in the zone"
  }

  assert {
    condition     = alltrue([for r in [aws_route53_record.cdn_record_static_a, aws_route53_record.cdn_record_static_aaaa] : r.name == "static.duewin.harness-inputs.net" && one(r.alias).name == aws_cloudfront_distribution.cdn_distribution.domain_name && one(r.alias).zone_id == "Z2FDTNDATAQYW2"])
    error_message = "static.duewin.harness-inputs.net must alias (A and AAAA) to the distribution"
  }

  assert {
    condition     = aws_route53_record.api_record_a.name == "api.duewin.harness-inputs.net" && aws_route53_record.api_record_a.type == "A" && aws_route53_record.api_record_a.zone_id == "Z0HARNESSDUEWINPRD" && one(aws_route53_record.api_record_a.alias).name == data.terraform_remote_state.cross-stack-reference-input-duewin-prod-compute.outputs["cross-stack-output-aws_lb_alb_lb_dns_name"] && one(aws_route53_record.api_record_a.alias).zone_id == data.terraform_remote_state.cross-stack-reference-input-duewin-prod-compute.outputs["cross-stack-output-aws_lb_alb_lb_zone_id"] && one(aws_route53_record.api_record_a.alias).evaluate_target_health
    error_message = "api.duewin.harness-inputs.net must alias to the compute stack's ALB, following its health"
  }

  assert {
    condition     = aws_route53_health_check.api_health_check.type == "HTTPS" && aws_route53_health_check.api_health_check.port == 443 && aws_route53_health_check.api_health_check.resource_path == "/health" && aws_route53_health_check.api_health_check.fqdn == data.terraform_remote_state.cross-stack-reference-input-duewin-prod-compute.outputs["cross-stack-output-aws_lb_alb_lb_dns_name"] && aws_route53_health_check.api_health_check.enable_sni && aws_route53_health_check.api_health_check.request_interval == 30 && aws_route53_health_check.api_health_check.failure_threshold == 3
    error_message = "The health check must probe the ALB over HTTPS on 443 at /health every 30 s, 3 failures to fail"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.api_health_alarm.namespace == "AWS/Route53" && aws_cloudwatch_metric_alarm.api_health_alarm.metric_name == "HealthCheckStatus" && aws_cloudwatch_metric_alarm.api_health_alarm.dimensions["HealthCheckId"] == aws_route53_health_check.api_health_check.id && aws_cloudwatch_metric_alarm.api_health_alarm.comparison_operator == "LessThanThreshold" && aws_cloudwatch_metric_alarm.api_health_alarm.threshold == 1 && aws_cloudwatch_metric_alarm.api_health_alarm.treat_missing_data == "breaching"
    error_message = "An alarm must fire when the API's health check reports unhealthy (or stops reporting)"
  }

  assert {
    condition     = output.api_health_check_id == aws_route53_health_check.api_health_check.id && output.hosted_zone_id == "Z0HARNESSDUEWINPRD" && output.static_assets_bucket_name == aws_s3_bucket.static_assets_bucket.bucket
    error_message = "The stack must output the health check, the zone and the assets bucket"
  }

  assert {
    condition     = aws_cloudfront_distribution.cdn_distribution.web_acl_id == aws_wafv2_web_acl.waf_cdn_acl.arn && aws_wafv2_web_acl.waf_cdn_acl.scope == "CLOUDFRONT"
    error_message = "A prod distribution must be protected by its CLOUDFRONT web ACL"
  }
}
