# Asserts every data stack with a database shares: private, encrypted, monitored RDS with a managed password.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "database" {
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
}
