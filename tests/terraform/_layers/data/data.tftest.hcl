# Asserts every data stack shares: private, encrypted, monitored RDS with a managed password,
# and Redis with encryption, RBAC users and slow logs. Run against the mock provider with each
# system's own asserts (tests/terraform/<system>-data/, tests/terraform/<stack>/).
mock_provider "aws" {
  source = "./tests/mocks"
}

run "data_layer" {
  command = apply

  assert {
    condition     = aws_db_instance.rds_instance.storage_encrypted && aws_db_instance.rds_instance.storage_type == "gp3" && aws_db_instance.rds_instance.max_allocated_storage == 100
    error_message = "The database must have encrypted gp3 storage with autoscaling up to 100 GiB"
  }

  assert {
    condition     = aws_db_instance.rds_instance.publicly_accessible == false && aws_db_instance.rds_instance.db_subnet_group_name == aws_db_subnet_group.rds_subnet_group.name
    error_message = "The database must not be publicly accessible and must live in its own subnet group"
  }

  assert {
    condition     = aws_db_instance.rds_instance.manage_master_user_password && output.db_master_user_secret_arn == aws_db_instance.rds_instance.master_user_secret[0].secret_arn
    error_message = "RDS must manage the master password in Secrets Manager, and the stack must output that secret's ARN"
  }

  assert {
    condition     = aws_db_instance.rds_instance.monitoring_interval == 60 && aws_db_instance.rds_instance.monitoring_role_arn == aws_iam_role.rds_monitoring_role.arn && aws_iam_role_policy_attachment.rds_monitoring_policy.policy_arn == "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
    error_message = "Enhanced monitoring must run every 60 s through its own role"
  }

  assert {
    condition     = aws_elasticache_replication_group.redis_replication_group.at_rest_encryption_enabled == "true" && aws_elasticache_replication_group.redis_replication_group.transit_encryption_enabled && aws_elasticache_replication_group.redis_replication_group.transit_encryption_mode == "required"
    error_message = "Redis must be encrypted at rest and require TLS in transit"
  }

  assert {
    condition     = aws_elasticache_replication_group.redis_replication_group.user_group_ids == toset([aws_elasticache_user_group.redis_user_group.user_group_id]) && aws_elasticache_user.redis_user_app.authentication_mode[0].type == "iam" && aws_elasticache_user.redis_user_default.user_name == "default" && startswith(aws_elasticache_user.redis_user_default.access_string, "off")
    error_message = "Redis must authenticate through its RBAC user group: IAM for the app user, the default user disabled"
  }

  assert {
    condition     = aws_elasticache_replication_group.redis_replication_group.security_group_ids == toset([aws_security_group.redis_sg_group.id]) && aws_elasticache_replication_group.redis_replication_group.subnet_group_name == aws_elasticache_subnet_group.redis_subnet_group.name && aws_elasticache_replication_group.redis_replication_group.port == 6379
    error_message = "Redis must sit on 6379 behind its own security group, in its own subnet group"
  }

  assert {
    condition     = one([for c in aws_elasticache_replication_group.redis_replication_group.log_delivery_configuration : c.destination if c.log_type == "slow-log"]) == aws_cloudwatch_log_group.redis_slow_log.name
    error_message = "The Redis slow log must be delivered to its log group"
  }
}
