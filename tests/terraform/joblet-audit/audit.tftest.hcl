# joblet's audit stack in every environment: the asserts its dev and prod stacks share.
# Each environment's own asserts are in tests/terraform/joblet-<environment>-audit/.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "trail" {
  command = apply

  assert {
    condition     = aws_cloudtrail.trail_trail.is_multi_region_trail && aws_cloudtrail.trail_trail.include_global_service_events && aws_cloudtrail.trail_trail.enable_log_file_validation && aws_cloudtrail.trail_trail.enable_logging
    error_message = "The trail must be multi-region, with global events and log file validation"
  }

  assert {
    condition     = aws_cloudtrail.trail_trail.cloud_watch_logs_group_arn == "${aws_cloudwatch_log_group.trail_log_group.arn}:*" && aws_cloudtrail.trail_trail.cloud_watch_logs_role_arn == aws_iam_role.trail_logs_role.arn && aws_cloudwatch_log_group.trail_log_group.kms_key_id == aws_kms_key.trail_key_key.arn && aws_cloudwatch_log_group.trail_log_group.retention_in_days == 365
    error_message = "The trail must also deliver to its encrypted log group (365 days) through its role"
  }

  assert {
    condition     = jsondecode(aws_iam_role.trail_logs_role.assume_role_policy).Statement[0].Principal.Service == "cloudtrail.amazonaws.com" && contains(jsondecode(aws_iam_role_policy.trail_logs_policy.policy).Statement[0].Action, "logs:PutLogEvents") && contains(jsondecode(aws_iam_role_policy.trail_logs_policy.policy).Statement[0].Resource, "${aws_cloudwatch_log_group.trail_log_group.arn}:*") && aws_iam_role_policy.trail_logs_policy.role == aws_iam_role.trail_logs_role.id
    error_message = "CloudTrail must be able to assume the delivery role, which may put events in the trail's log group"
  }

  assert {
    condition     = can(regex("^arn:aws:iam::[0-9]{12}:root$", jsondecode(aws_kms_key.trail_key_key.policy).Statement[0].Principal.AWS)) && jsondecode(aws_kms_key.trail_key_key.policy).Statement[1].Principal.Service == "cloudtrail.amazonaws.com"
    error_message = "The audit key must be administered by this account and usable by CloudTrail"
  }
}

run "alarms" {
  command = apply

  assert {
    condition     = strcontains(aws_cloudwatch_log_metric_filter.secret_access_metric_filter.pattern, "GetSecretValue") && strcontains(aws_cloudwatch_log_metric_filter.secret_access_metric_filter.pattern, "$.requestParameters.secretId = \"joblet/*\"") && can(regex("\\$\\.requestParameters\\.secretId = \"arn:aws:secretsmanager:us-east-1:[0-9]{12}:secret:joblet/\\*\"", aws_cloudwatch_log_metric_filter.secret_access_metric_filter.pattern)) && aws_cloudwatch_log_metric_filter.secret_access_metric_filter.log_group_name == aws_cloudwatch_log_group.trail_log_group.name
    error_message = "A metric filter must count GetSecretValue calls for joblet/* secrets (by name, or by ARN as one literal prefix: a filter's * matches only at a term's ends) in the trail's log group"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.certificate_expiry_secret_alarm_joblet-ca-cert.metric_name == "DaysToExpiry" && aws_cloudwatch_metric_alarm.certificate_expiry_secret_alarm_joblet-ca-cert.dimensions == tomap({ SecretId = "joblet/ca-cert" }) && aws_cloudwatch_metric_alarm.certificate_expiry_secret_alarm_joblet-client-cert.dimensions == tomap({ SecretId = "joblet/client-cert" }) && aws_cloudwatch_metric_alarm.certificate_expiry_secret_alarm_joblet-ca-cert.threshold == 30 && aws_cloudwatch_metric_alarm.certificate_expiry_secret_alarm_joblet-ca-cert.treat_missing_data == "breaching" && aws_cloudwatch_metric_alarm.certificate_expiry_secret_alarm_joblet-ca-cert.alarm_actions == toset([aws_sns_topic.alarms_topic.arn])
    error_message = "The CA and client certificates in Secrets Manager must alarm below 30 days to expiry, or when not published"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.secret_access_alarm.threshold == 100 && aws_cloudwatch_metric_alarm.secret_access_alarm.period == 300 && aws_cloudwatch_metric_alarm.secret_access_alarm.comparison_operator == "GreaterThanThreshold" && aws_cloudwatch_metric_alarm.secret_access_alarm.metric_name == aws_cloudwatch_log_metric_filter.secret_access_metric_filter.metric_transformation[0].name
    error_message = "The secret access alarm must fire above 100 calls per 5 minutes of the filter's metric"
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.secret_access_alarm.alarm_actions == toset([aws_sns_topic.alarms_topic.arn]) && aws_sns_topic.alarms_topic.kms_master_key_id == aws_kms_key.trail_key_key.arn
    error_message = "The alarm must notify the encrypted alarm topic"
  }

  assert {
    condition     = contains([for s in jsondecode(aws_sns_topic_policy.alarms_policy.policy).Statement : s.Sid], "CloudWatchAlarmsPublish") && contains([for s in jsondecode(aws_sns_topic_policy.alarms_policy.policy).Statement : s.Sid], "DenyInsecureTransport")
    error_message = "The topic policy must let the alarms publish and refuse non-TLS publishing (Joblet forwards no ACM events: its certificates are in Secrets Manager)"
  }
}
