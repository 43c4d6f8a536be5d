# ode's data stack in every environment: the asserts its dev and prod stacks share.
# Each environment's own asserts are in tests/terraform/ode-<environment>-data/.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "database" {
  command = apply

  assert {
    condition     = aws_db_instance.rds_instance.engine_version == "15" && !contains([for p in aws_db_parameter_group.rds_parameter_group.parameter : p.name], "rds.force_ssl") && aws_db_instance.rds_instance.parameter_group_name == aws_db_parameter_group.rds_parameter_group.name
    error_message = "The parameter group must force TLS by leaving rds.force_ssl at PostgreSQL 15's default, 1 (set to its default, RDS would report it pending-reboot and every plan would set it again), and be the instance's"
  }

  assert {
    condition     = aws_db_instance.rds_instance.performance_insights_enabled == true && aws_db_instance.rds_instance.iam_database_authentication_enabled && aws_db_instance.rds_instance.auto_minor_version_upgrade
    error_message = "Performance Insights (where the class allows), IAM authentication and automatic minor upgrades must be on"
  }

  assert {
    condition     = aws_db_instance.rds_instance.engine == "postgres" && aws_db_instance.rds_instance.instance_class == "db.t3.medium" && aws_db_instance.rds_instance.multi_az == true && aws_db_instance.rds_instance.db_name == "odedb" && aws_db_instance.rds_instance.username == "odeadmin"
    error_message = "The database must match the system's document"
  }
}

run "redis" {
  command = apply

  assert {
    condition     = aws_elasticache_replication_group.redis_replication_group.num_cache_clusters == 2 && aws_elasticache_replication_group.redis_replication_group.automatic_failover_enabled == true && aws_elasticache_replication_group.redis_replication_group.multi_az_enabled == true && aws_elasticache_replication_group.redis_replication_group.node_type == "cache.t3.medium"
    error_message = "Redis must have 2 node(s), with failover and Multi-AZ only with more than one"
  }
}

run "redis_iam_user" {
  command = apply

  assert {
    condition     = aws_elasticache_user.redis_user_app.authentication_mode[0].type == "iam" && aws_elasticache_user.redis_user_app.user_name == aws_elasticache_user.redis_user_app.user_id && contains(aws_elasticache_user_group.redis_user_group.user_ids, aws_elasticache_user.redis_user_app.user_id)
    error_message = "The pods' Redis user must authenticate with IAM (user name = user id), in the group's users"
  }
}
