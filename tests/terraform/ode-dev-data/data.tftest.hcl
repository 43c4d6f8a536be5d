# ode-dev-data: ode's RDS postgres and ElastiCache Redis in the isolated subnets (dev).
# Applied against the mock provider by the harness (npm test); addresses are the stack's public contract.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "database" {
  command = apply

  assert {
    condition     = aws_db_subnet_group.rds_subnet_group.subnet_ids == toset([data.terraform_remote_state.cross-stack-reference-input-ode-dev-network.outputs.cross-stack-output-aws_subnet_network_isolated_us-east-1a_id, data.terraform_remote_state.cross-stack-reference-input-ode-dev-network.outputs.cross-stack-output-aws_subnet_network_isolated_us-east-1b_id, data.terraform_remote_state.cross-stack-reference-input-ode-dev-network.outputs.cross-stack-output-aws_subnet_network_isolated_us-east-1c_id])
    error_message = "The DB subnet group must be exactly the network stack's isolated subnets"
  }

  assert {
    condition     = aws_db_instance.rds_instance.vpc_security_group_ids == toset([aws_security_group.rds_sg_group.id]) && aws_security_group.rds_sg_group.vpc_id == data.terraform_remote_state.cross-stack-reference-input-ode-dev-network.outputs.cross-stack-output-aws_vpc_network_vpc_id
    error_message = "The database must sit behind its own security group only, in the network stack's VPC"
  }

  assert {
    condition     = aws_db_instance.rds_instance.backup_retention_period == 7 && aws_db_instance.rds_instance.skip_final_snapshot == false && startswith(aws_db_instance.rds_instance.final_snapshot_identifier, "ode-dev-postgres-final-") && aws_db_instance.rds_instance.copy_tags_to_snapshot
    error_message = "Backups must be kept 7 days, and deletion must take a tagged final snapshot"
  }

  assert {
    condition     = aws_db_instance.rds_instance.deletion_protection == false && aws_db_instance.rds_instance.delete_automated_backups == true
    error_message = "Deletion protection must be off in dev"
  }

  assert {
    condition     = aws_db_instance.rds_instance.enabled_cloudwatch_logs_exports == toset(["postgresql", "upgrade"]) && aws_cloudwatch_log_group.rds_log_postgresql.name == "/aws/rds/instance/ode-dev-postgres/postgresql" && aws_cloudwatch_log_group.rds_log_postgresql.retention_in_days == 90
    error_message = "The engine's logs must be exported to log groups with a 90-day retention"
  }
}

run "redis" {
  command = apply

  assert {
    condition     = aws_elasticache_replication_group.redis_replication_group.snapshot_retention_limit == 7 && startswith(aws_elasticache_replication_group.redis_replication_group.final_snapshot_identifier, "ode-dev-redis-final-") && aws_elasticache_replication_group.redis_replication_group.parameter_group_name == aws_elasticache_parameter_group.redis_parameter_group.name && aws_elasticache_parameter_group.redis_parameter_group.family == "redis7"
    error_message = "Redis must keep 7 days of snapshots, take a final snapshot and use its redis7 parameter group"
  }
}
