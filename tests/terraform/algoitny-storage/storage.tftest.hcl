# algoitny's storage stack in every environment: its backend's two tables and its Celery broker's queue, under the names it hard-codes.
# Each environment's own asserts are in tests/terraform/algoitny-<environment>-storage/.
mock_provider "aws" {
  source = "./tests/mocks"
}

run "tables" {
  command = apply

  assert {
    condition     = aws_dynamodb_table.dynamodb_main_table.name == "algoitny_main" && aws_dynamodb_table.dynamodb_main_table.billing_mode == "PAY_PER_REQUEST" && aws_dynamodb_table.dynamodb_main_table.hash_key == "PK" && aws_dynamodb_table.dynamodb_main_table.range_key == "SK" && aws_dynamodb_table.dynamodb_main_table.ttl[0].attribute_name == "ttl"
    error_message = "The single table algoitny_main must exist, on demand, keyed PK/SK, expiring items on ttl"
  }

  assert {
    condition     = { for index in aws_dynamodb_table.dynamodb_main_table.global_secondary_index : index.name => [index.hash_key, index.range_key, index.projection_type] } == { GSI1 = ["GSI1PK", "GSI1SK", "ALL"], GSI2 = ["GSI2PK", "GSI2SK", "KEYS_ONLY"], GSI3 = ["GSI3PK", "GSI3SK", "ALL"] } && contains(aws_dynamodb_table.dynamodb_main_table.attribute, { name = "GSI3SK", type = "N" })
    error_message = "algoitny_main must have the backend's indexes: GSI1 (users by e-mail, history by user), GSI2 (keys only), GSI3 (problems by status, numeric sort key)"
  }

  assert {
    condition     = aws_dynamodb_table.dynamodb_django_table.name == "algoitny_django" && aws_dynamodb_table.dynamodb_django_table.hash_key == "PK" && aws_dynamodb_table.dynamodb_django_table.range_key == "SK" && aws_dynamodb_table.dynamodb_django_table.ttl[0].attribute_name == "exp" && [for index in aws_dynamodb_table.dynamodb_django_table.global_secondary_index : [index.name, index.hash_key, index.range_key]] == [["TypeIndex", "tp", "SK"]]
    error_message = "The table algoitny_django (Django's sessions, Celery's task results) must exist, keyed PK/SK, with TypeIndex on tp, expiring items on exp"
  }
}

run "broker" {
  command = apply

  assert {
    condition     = aws_sqs_queue.sqs_jobs_queue.name == "algoitny-jobs-prod" && aws_sqs_queue.sqs_jobs_queue.visibility_timeout_seconds == 3600 && aws_sqs_queue.sqs_jobs_queue.sqs_managed_sse_enabled
    error_message = "The Celery broker must be the queue algoitny-jobs-prod (the name the backend routes every task to in production), encrypted, hiding a received task for Celery's 3600 s"
  }

  assert {
    condition     = jsondecode(aws_sqs_queue.sqs_jobs_queue.redrive_policy) == { deadLetterTargetArn = aws_sqs_queue.sqs_jobs_dead_letter_queue.arn, maxReceiveCount = 5 } && aws_sqs_queue.sqs_jobs_dead_letter_queue.name == "algoitny-jobs-prod-dlq"
    error_message = "A task received 5 times without being deleted must move to algoitny-jobs-prod-dlq"
  }
}
