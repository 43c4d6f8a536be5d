# Asserts every data stack with Redis shares (run only where the stack holds the replication
# group: a data stack without Redis has none): encryption, RBAC users with the default user
# disabled, its own security group and subnet group, slow logs. Asserts of data stacks with a
# database are in ../aws_db_instance.rds_instance/;
# how each system's users authenticate (IAM, or a generated password) is in tests/terraform/<system>-data/.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "redis" {
  command = apply

  assert {
    condition     = aws_elasticache_replication_group.redis_replication_group.at_rest_encryption_enabled == "true" && aws_elasticache_replication_group.redis_replication_group.transit_encryption_enabled && aws_elasticache_replication_group.redis_replication_group.transit_encryption_mode == "required"
    error_message = "Redis must be encrypted at rest and require TLS in transit"
  }

  assert {
    condition     = aws_elasticache_replication_group.redis_replication_group.security_group_ids == toset([aws_security_group.redis_sg_group.id]) && aws_elasticache_replication_group.redis_replication_group.subnet_group_name == aws_elasticache_subnet_group.redis_subnet_group.name && aws_elasticache_replication_group.redis_replication_group.port == 6379
    error_message = "Redis must sit on 6379 behind its own security group, in its own subnet group"
  }

  assert {
    condition     = one([for c in aws_elasticache_replication_group.redis_replication_group.log_delivery_configuration : c.destination if c.log_type == "slow-log"]) == aws_cloudwatch_log_group.redis_slow_log.name
    error_message = "The Redis slow log must be delivered to its log group"
  }

  assert {
    condition     = aws_elasticache_replication_group.redis_replication_group.user_group_ids == toset([aws_elasticache_user_group.redis_user_group.user_group_id]) && aws_elasticache_user.redis_user_default.user_name == "default" && startswith(aws_elasticache_user.redis_user_default.access_string, "off") && contains(aws_elasticache_user_group.redis_user_group.user_ids, aws_elasticache_user.redis_user_default.user_id)
    error_message = "Redis must authenticate through its RBAC user group, whose default user is disabled"
  }
}
