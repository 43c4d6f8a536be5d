# Asserts every data stack with an IAM-authenticated Redis app user shares.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "redis_iam_user" {
  command = apply

  assert {
    condition     = aws_elasticache_replication_group.redis_replication_group.user_group_ids == toset([aws_elasticache_user_group.redis_user_group.user_group_id]) && aws_elasticache_user.redis_user_app.authentication_mode[0].type == "iam" && aws_elasticache_user.redis_user_default.user_name == "default" && startswith(aws_elasticache_user.redis_user_default.access_string, "off")
    error_message = "Redis must authenticate through its RBAC user group: IAM for the app user, the default user disabled"
  }
}
