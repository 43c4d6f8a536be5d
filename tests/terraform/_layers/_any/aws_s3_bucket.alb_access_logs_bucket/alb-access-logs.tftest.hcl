# Asserts every stack with an ALB that keeps access logs shares (staging and prod by default).
mock_provider "aws" {
  source = "./tests/mocks"
}

run "alb_access_logs" {
  assert {
    condition     = aws_lb.alb_lb.access_logs[0].enabled && aws_lb.alb_lb.access_logs[0].bucket == aws_s3_bucket.alb_access_logs_bucket.bucket && strcontains(aws_s3_bucket_policy.alb_access_logs_policy.policy, "AWSLogs")
    error_message = "An ALB with access logs must keep them in its bucket, which ELB may write to"
  }
}
