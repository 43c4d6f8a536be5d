# duewin's data stack in every environment: the asserts its dev and prod stacks share.
# Each environment's own asserts are in tests/terraform/duewin-<environment>-data/.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "database" {
  command = apply

  assert {
    condition     = aws_db_instance.rds_instance.engine_version == "8.4" && !contains([for p in aws_db_parameter_group.rds_parameter_group.parameter : p.name], "require_secure_transport") && aws_db_instance.rds_instance.parameter_group_name == aws_db_parameter_group.rds_parameter_group.name
    error_message = "The parameter group must admit the app's plain connections (its Sequelize client passes no ssl) by leaving require_secure_transport at MySQL 8.4's default, 0, and be the instance's"
  }
}


run "app_database_access" {
  command = apply

  assert {
    condition     = jsondecode(aws_ssm_parameter.rds_connection.value).secretArn == aws_db_instance.rds_instance.master_user_secret[0].secret_arn && jsondecode(aws_ssm_parameter.rds_connection.value).host == aws_db_instance.rds_instance.address && jsondecode(aws_ssm_parameter.rds_connection.value).name == "duewin" && aws_ssm_parameter.rds_connection.type == "String"
    error_message = "The connection parameter the app's boot script reads must locate the database and its master secret, and hold no password"
  }
}

run "redis_password_user" {
  command = apply

  assert {
    condition     = aws_elasticache_user.redis_user_app.authentication_mode[0].type == "password" && aws_elasticache_user.redis_user_app.access_string == "on ~* &* +@all -@dangerous +keys +info" && contains(aws_elasticache_user_group.redis_user_group.user_ids, aws_elasticache_user.redis_user_app.user_id)
    error_message = "The app user must be enabled with a password, allowed KEYS and INFO (its cache service lists keys by pattern; ioredis and BullMQ ask for INFO), in the group's users"
  }

  assert {
    condition     = nonsensitive(one(aws_elasticache_user.redis_user_app.authentication_mode[0].passwords) == terraform_data.redis_user_app_password.input && can(regex("^[0-9a-f]{64}$", terraform_data.redis_user_app_password.input)))
    error_message = "The app user's password must be the one Terraform generated: 64 hex digits"
  }

  assert {
    condition     = aws_secretsmanager_secret_version.redis_user_app_url.secret_string_wo == null && aws_secretsmanager_secret_version.redis_user_app_url.secret_string_wo_version == 1
    error_message = "The REDIS_URL secret's value must be write-only: never in Terraform's state"
  }
}
