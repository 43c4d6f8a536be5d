# duewin's data stack in every environment: the asserts its dev and prod stacks share.
# Each environment's own asserts are in tests/terraform/duewin-<environment>-data/.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "database" {
  command = apply

  assert {
    condition     = contains([for p in aws_db_parameter_group.rds_parameter_group.parameter : "${p.name}=${p.value}"], "require_secure_transport=1") && aws_db_instance.rds_instance.parameter_group_name == aws_db_parameter_group.rds_parameter_group.name
    error_message = "The parameter group must force TLS (require_secure_transport=1) and be the instance's"
  }
}


run "app_database_access" {
  command = apply

  assert {
    condition     = jsondecode(aws_ssm_parameter.rds_connection.value).secretArn == aws_db_instance.rds_instance.master_user_secret[0].secret_arn && jsondecode(aws_ssm_parameter.rds_connection.value).host == aws_db_instance.rds_instance.address && jsondecode(aws_ssm_parameter.rds_connection.value).name == "duewin" && aws_ssm_parameter.rds_connection.type == "String"
    error_message = "The connection parameter the app's boot script reads must locate the database and its master secret, and hold no password"
  }
}
