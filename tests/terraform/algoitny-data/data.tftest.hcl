# algoitny's data stack in every environment: the Celery broker (ElastiCache Redis).
mock_provider "aws" {
  source = "./tests/mocks"
}

run "celery_broker" {
  command = apply

  assert {
    condition     = aws_vpc_security_group_ingress_rule.redis_sg_ingress_6379_from_api.from_port == 6379 && aws_vpc_security_group_ingress_rule.redis_sg_ingress_6379_from_api.to_port == 6379 && aws_vpc_security_group_ingress_rule.redis_sg_ingress_6379_from_worker.from_port == 6379 && aws_vpc_security_group_ingress_rule.redis_sg_ingress_6379_from_api.referenced_security_group_id != aws_vpc_security_group_ingress_rule.redis_sg_ingress_6379_from_worker.referenced_security_group_id
    error_message = "The broker must accept 6379 from the API (which enqueues) and from the workers (which consume), by security group"
  }

  assert {
    condition     = length(aws_elasticache_subnet_group.redis_subnet_group.subnet_ids) == 3
    error_message = "The broker must live in the three isolated subnets"
  }
}

run "redis_password_user" {
  command = apply

  assert {
    condition     = aws_elasticache_user.redis_user_celery.authentication_mode[0].type == "password" && aws_elasticache_user.redis_user_celery.access_string == "on ~* &* +@all -@dangerous" && contains(aws_elasticache_user_group.redis_user_group.user_ids, aws_elasticache_user.redis_user_celery.user_id)
    error_message = "The celery user must be enabled with a password, in the group's users"
  }

  assert {
    condition     = nonsensitive(one(aws_elasticache_user.redis_user_celery.authentication_mode[0].passwords) == terraform_data.redis_user_celery_password.input && can(regex("^[0-9a-f]{64}$", terraform_data.redis_user_celery_password.input)))
    error_message = "The celery user's password must be the one Terraform generated: 64 hex digits"
  }

  assert {
    condition     = aws_secretsmanager_secret_version.redis_user_celery_url.secret_string_wo == null && aws_secretsmanager_secret_version.redis_user_celery_url.secret_string_wo_version == 1
    error_message = "The CELERY_BROKER_URL secret's value must be write-only: never in Terraform's state"
  }
}
