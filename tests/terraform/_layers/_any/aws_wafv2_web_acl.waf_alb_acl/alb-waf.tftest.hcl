# Asserts every stack with an ALB behind its regional WAF web ACL shares.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "alb_waf" {
  assert {
    condition     = aws_wafv2_web_acl_association.waf_alb_alb.resource_arn == aws_lb.alb_lb.arn && aws_wafv2_web_acl_association.waf_alb_alb.web_acl_arn == aws_wafv2_web_acl.waf_alb_acl.arn && aws_wafv2_web_acl.waf_alb_acl.scope == "REGIONAL"
    error_message = "An ALB must be protected by its regional WAF web ACL"
  }

  assert {
    condition     = aws_wafv2_web_acl_logging_configuration.waf_alb_logging.resource_arn == aws_wafv2_web_acl.waf_alb_acl.arn && startswith(aws_cloudwatch_log_group.waf_alb_logs.name, "aws-waf-logs-")
    error_message = "The ALB's web ACL must log to an aws-waf-logs- log group"
  }
}
