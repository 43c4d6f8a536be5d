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
    condition     = aws_elasticache_user.redis_user_celery.authentication_mode[0].type == "no-password-required" && startswith(aws_elasticache_user.redis_user_celery.access_string, "off ") && contains(aws_elasticache_user_group.redis_user_group.user_ids, aws_elasticache_user.redis_user_celery.user_id)
    error_message = "The Celery user must be created disabled, without a password (set once outside Terraform), in the group's users"
  }

  assert {
    condition     = length(aws_elasticache_subnet_group.redis_subnet_group.subnet_ids) == 3
    error_message = "The broker must live in the three isolated subnets"
  }
}
