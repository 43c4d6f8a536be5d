# muejam-prod-edge: CloudFront in front of the prod ALB over HTTPS, on app.muejam.harness-inputs.net
# (the user's domain: here the test inputs') with a DNS-validated us-east-1 certificate, in the
# user's existing hosted zone: no zone is created, so validation never waits on a delegation.
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
        domain_name           = "app.muejam.harness-inputs.net"
        resource_record_name  = "_a79865eb4cd1a6ab990a45779b4e0b96.app.muejam.harness-inputs.net."
        resource_record_type  = "CNAME"
        resource_record_value = "_424c7224e9b0146f9a8808af955727d0.acm-validations.aws."
      },
    ]
  }
}

run "edge" {
  command = apply

  assert {
    condition     = one(aws_cloudfront_distribution.cdn_distribution.origin).domain_name == data.terraform_remote_state.cross-stack-reference-input-muejam-prod-compute.outputs["cross-stack-output-aws_lb_alb_lb_dns_name"] && one(aws_cloudfront_distribution.cdn_distribution.origin).custom_origin_config[0].origin_protocol_policy == "https-only" && one(aws_cloudfront_distribution.cdn_distribution.origin).custom_origin_config[0].https_port == 443
    error_message = "The prod ALB serves HTTPS: CloudFront must reach it only over HTTPS on 443"
  }

  assert {
    condition     = aws_cloudfront_distribution.cdn_distribution.aliases == toset(["app.muejam.harness-inputs.net"]) && aws_cloudfront_distribution.cdn_distribution.viewer_certificate[0].acm_certificate_arn == aws_acm_certificate_validation.cdn_tls_validation.certificate_arn && aws_cloudfront_distribution.cdn_distribution.viewer_certificate[0].minimum_protocol_version == "TLSv1.2_2021" && aws_cloudfront_distribution.cdn_distribution.viewer_certificate[0].ssl_support_method == "sni-only"
    error_message = "The distribution must answer app.muejam.harness-inputs.net with the validated certificate, over SNI, TLS 1.2+ only"
  }

  assert {
    condition     = aws_acm_certificate.cdn_tls_certificate.domain_name == "app.muejam.harness-inputs.net" && aws_acm_certificate.cdn_tls_certificate.validation_method == "DNS" && aws_acm_certificate_validation.cdn_tls_validation.certificate_arn == aws_acm_certificate.cdn_tls_certificate.arn && aws_acm_certificate_validation.cdn_tls_validation.validation_record_fqdns == toset([aws_route53_record.cdn_tls_validation_record_app.fqdn])
    error_message = "The certificate must cover the name and be validated by DNS, through its validation record"
  }

  assert {
    condition     = aws_route53_record.cdn_tls_validation_record_app.zone_id == "Z0HARNESSMUEJAMPRD" && aws_route53_record.cdn_tls_validation_record_app.name == "_a79865eb4cd1a6ab990a45779b4e0b96.app.muejam.harness-inputs.net." && aws_route53_record.cdn_tls_validation_record_app.type == "CNAME" && aws_route53_record.cdn_tls_validation_record_app.records == toset(["_424c7224e9b0146f9a8808af955727d0.acm-validations.aws."])
    error_message = "The validation record must be the CNAME ACM asked for, in the zone"
  }

  assert {
    condition     = aws_route53_record.cdn_record_app_a.type == "A" && aws_route53_record.cdn_record_app_aaaa.type == "AAAA" && alltrue([for r in [aws_route53_record.cdn_record_app_a, aws_route53_record.cdn_record_app_aaaa] : r.name == "app.muejam.harness-inputs.net" && r.zone_id == "Z0HARNESSMUEJAMPRD" && one(r.alias).name == aws_cloudfront_distribution.cdn_distribution.domain_name && one(r.alias).zone_id == "Z2FDTNDATAQYW2" && one(r.alias).evaluate_target_health == false])
    error_message = "app.muejam.harness-inputs.net must have A and AAAA alias records to the distribution (CloudFront's zone Z2FDTNDATAQYW2)"
  }

  assert {
    condition     = output.hosted_zone_id == "Z0HARNESSMUEJAMPRD" && output.cdn_url == "https://app.muejam.harness-inputs.net"
    error_message = "The stack must write into the user's existing zone, and output it and the distribution's URL"
  }

  assert {
    condition     = aws_cloudfront_distribution.cdn_distribution.web_acl_id == aws_wafv2_web_acl.waf_cdn_acl.arn && aws_wafv2_web_acl.waf_cdn_acl.scope == "CLOUDFRONT"
    error_message = "A prod distribution must be protected by its CLOUDFRONT web ACL"
  }
}
