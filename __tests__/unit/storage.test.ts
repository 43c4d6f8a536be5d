import { ServiceRole } from "../../src/constructs/iam";
import { DynamoTable, MessageQueue, SecureBucket } from "../../src/constructs/storage";
import { QueueConfigSchema, TableConfigSchema } from "../../src/constructs/storage/settings";
import { validateBucketName } from "../../src/lib/s3-bucket-name";
import { resourcesOf } from "../harness/synth";
import { synthConstructs } from "../harness/test-stack";

describe("SecureBucket", () => {
  const json = synthConstructs((scope) => {
    new SecureBucket(scope, "documents", {
      bucketName: "ode-prod-documents",
      lifecycle: {
        transitions: [{ days: 90, storageClass: "STANDARD_IA" }],
        noncurrentVersionExpirationDays: 30,
      },
    });
  });

  it("never force-destroys and refuses to be destroyed by a plan", () => {
    expect(resourcesOf(json, "aws_s3_bucket").documents_bucket).toMatchObject({
      bucket: "ode-prod-documents",
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("blocks all four kinds of public access and disables ACLs", () => {
    expect(resourcesOf(json, "aws_s3_bucket_public_access_block").documents_public_access_block).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(resourcesOf(json, "aws_s3_bucket_ownership_controls").documents_ownership.rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  it("encrypts with SSE-S3 by default and keeps versions", () => {
    expect(resourcesOf(json, "aws_s3_bucket_server_side_encryption_configuration").documents_encryption.rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
    expect(resourcesOf(json, "aws_s3_bucket_versioning").documents_versioning.versioning_configuration).toEqual({ status: "Enabled" });
  });

  it("encrypts with a KMS key and a bucket key when given one", () => {
    const kms = synthConstructs((scope) => {
      new SecureBucket(scope, "b", { bucketName: "acme-b", kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k" });
    });
    expect(resourcesOf(kms, "aws_s3_bucket_server_side_encryption_configuration").b_encryption.rule).toEqual([
      {
        apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "arn:aws:kms:us-east-1:123456789012:key/k" },
        bucket_key_enabled: true,
      },
    ]);
  });

  it("grants an SSE-KMS bucket's key with its objects, only through S3 in the bucket's region", () => {
    const key = "arn:aws:kms:us-east-1:123456789012:key/k";
    const out = synthConstructs((scope) => {
      const b = new SecureBucket(scope, "docs", { bucketName: "acme-docs", kmsKeyArn: key, region: "us-east-1" });
      const reader = new ServiceRole(scope, "reader", { roleName: "reader", service: "ec2.amazonaws.com" });
      const writer = new ServiceRole(scope, "writer", { roleName: "writer", service: "ec2.amazonaws.com" });
      b.grantRead(reader);
      b.grantReadWrite(writer);
    });
    const policies = resourcesOf(out, "aws_iam_role_policy");
    const via = '"Condition" = {"StringEquals" = {"kms:ViaService" = "s3.us-east-1.amazonaws.com"}}';
    expect(String(policies.reader_policy.policy)).toContain(`{"Sid" = "ReadDocsKey", "Effect" = "Allow", "Action" = "kms:Decrypt", "Resource" = ["${key}"], ${via}}`);
    expect(String(policies.writer_policy.policy)).toContain(`{"Sid" = "ReadWriteDocsKey", "Effect" = "Allow", "Action" = ["kms:GenerateDataKey", "kms:Decrypt"], "Resource" = ["${key}"], ${via}}`);
  });

  it("refuses a grant on an SSE-KMS bucket whose region it does not know, and grants no key for SSE-S3", () => {
    expect(() =>
      synthConstructs((scope) => {
        const b = new SecureBucket(scope, "docs", { bucketName: "acme-docs", kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k" });
        b.grantRead(new ServiceRole(scope, "reader", { roleName: "reader", service: "ec2.amazonaws.com" }));
      }),
    ).toThrow(/give the bucket its region/);
    const out = synthConstructs((scope) => {
      const b = new SecureBucket(scope, "docs", { bucketName: "acme-docs" });
      b.grantRead(new ServiceRole(scope, "reader", { roleName: "reader", service: "ec2.amazonaws.com" }));
    });
    expect(String(resourcesOf(out, "aws_iam_role_policy").reader_policy.policy)).not.toContain("kms:");
  });

  it("denies any request made without TLS", () => {
    const policy = String(resourcesOf(json, "aws_s3_bucket_policy").documents_policy.policy);
    expect(policy).toContain('"Sid" = "DenyInsecureTransport", "Effect" = "Deny", "Principal" = "*", "Action" = "s3:*"');
    expect(policy).toContain('"Condition" = {"Bool" = {"aws:SecureTransport" = "false"}}');
  });

  it("aborts incomplete uploads and applies the configured lifecycle", () => {
    const rules = resourcesOf(json, "aws_s3_bucket_lifecycle_configuration").documents_lifecycle.rule as Record<string, unknown>[];
    expect(rules.map((r) => r.id)).toEqual(["abort-incomplete-uploads", "current-versions", "noncurrent-versions"]);
    expect(rules[0].abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
    expect(rules[1].transition).toEqual([{ days: 90, storage_class: "STANDARD_IA" }]);
    expect(rules[2].noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
  });

  it("adds statements to its policy and refuses duplicates", () => {
    synthConstructs((scope) => {
      const b = new SecureBucket(scope, "logs", { bucketName: "acme-logs" });
      b.addToResourcePolicy({ Sid: "AllowDelivery", Effect: "Allow", Principal: { Service: "delivery.logs.amazonaws.com" }, Action: "s3:PutObject", Resource: `${b.arn}/*` });
      expect(() => b.addToResourcePolicy({ Sid: "AllowDelivery", Effect: "Allow", Action: "s3:PutObject" })).toThrow(/already has a statement "AllowDelivery"/);
    });
  });
});

describe("validateBucketName", () => {
  it.each(["ode-prod-documents", "a.b.c", "abc"])("accepts %s", (name) => {
    expect(() => validateBucketName(name)).not.toThrow();
  });

  it.each([
    ["ab", /is 2 characters; S3 bucket names are 3 to 63/],
    ["x".repeat(64), /is 64 characters/],
    ["Ode-Documents", /lower case letters, digits, dots and hyphens/],
    ["ode_documents", /lower case letters, digits, dots and hyphens/],
    ["-ode", /start and end with a letter or digit/],
    ["ode..docs", /two dots in a row/],
    ["192.168.1.1", /look like an IP address/],
    ["xn--ode", /may not start with "xn--"/],
    ["ode-s3alias", /may not end with "-s3alias"/],
  ])("rejects %s", (name, message) => {
    expect(() => validateBucketName(name, "storage.buckets.documents.bucketName")).toThrow(message);
  });
});

describe("DynamoTable", () => {
  const json = synthConstructs((scope) => {
    new DynamoTable(scope, "locks", { tableName: "ode-terraform-locks", settings: TableConfigSchema.parse({ partitionKey: { name: "LockID" } }) });
  });
  const table = resourcesOf(json, "aws_dynamodb_table").locks_table;

  it("bills on demand with the keys given", () => {
    expect(table).toMatchObject({ name: "ode-terraform-locks", billing_mode: "PAY_PER_REQUEST", hash_key: "LockID", attribute: [{ name: "LockID", type: "S" }] });
  });

  it("has point-in-time recovery, encryption, deletion protection and prevent_destroy", () => {
    expect(table).toMatchObject({
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      deletion_protection_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("defines each key attribute of the table and its indexes once, and builds the indexes on demand", () => {
    const settings = TableConfigSchema.parse({
      partitionKey: { name: "PK" },
      sortKey: { name: "SK" },
      globalSecondaryIndexes: {
        TypeIndex: { partitionKey: { name: "tp" }, sortKey: { name: "SK" } },
        GSI3: { partitionKey: { name: "GSI3PK" }, sortKey: { name: "GSI3SK", type: "N" }, projection: "KEYS_ONLY" },
      },
    });
    const indexed = resourcesOf(synthConstructs((scope) => new DynamoTable(scope, "main", { tableName: "acme_main", settings })), "aws_dynamodb_table").main_table;
    expect(indexed.attribute).toEqual([
      { name: "PK", type: "S" },
      { name: "SK", type: "S" },
      { name: "GSI3PK", type: "S" },
      { name: "GSI3SK", type: "N" },
      { name: "tp", type: "S" },
    ]);
    expect(indexed.global_secondary_index).toEqual([
      { name: "GSI3", hash_key: "GSI3PK", range_key: "GSI3SK", projection_type: "KEYS_ONLY" },
      { name: "TypeIndex", hash_key: "tp", range_key: "SK", projection_type: "ALL" },
    ]);
    expect(table.global_secondary_index).toBeUndefined();
  });

  it("refuses an index that gives a key attribute another type, naming the index's key", () => {
    const settings = TableConfigSchema.parse({ partitionKey: { name: "PK" }, globalSecondaryIndexes: { ByNumber: { partitionKey: { name: "PK", type: "N" } } } });
    expect(() => synthConstructs((scope) => new DynamoTable(scope, "t", { tableName: "acme_t", settings }))).toThrow(
      /globalSecondaryIndexes\.ByNumber\.partitionKey\.type = "N"[\s\S]*another type than its other key \(S\)/,
    );
  });
});

describe("MessageQueue", () => {
  const json = synthConstructs((scope) => {
    const jobs = new MessageQueue(scope, "jobs", { queueName: "shop-prod-jobs", settings: QueueConfigSchema.parse({ visibilityTimeoutSeconds: 600 }) });
    new MessageQueue(scope, "events", { queueName: "shop-prod-events", settings: QueueConfigSchema.parse({ maxReceiveCount: null }) });
    const producer = new ServiceRole(scope, "producer", { roleName: "producer", service: "ec2.amazonaws.com" });
    const consumer = new ServiceRole(scope, "consumer", { roleName: "consumer", service: "ec2.amazonaws.com" });
    jobs.grantSend(producer);
    jobs.grantConsume(consumer);
  });
  const queues = resourcesOf(json, "aws_sqs_queue");

  it("encrypts with SQS-managed keys and denies any request without TLS, on the queue and its dead-letter queue", () => {
    expect(queues.jobs_queue).toMatchObject({ name: "shop-prod-jobs", sqs_managed_sse_enabled: true, visibility_timeout_seconds: 600, message_retention_seconds: 345600 });
    expect(queues.jobs_dead_letter_queue).toMatchObject({ name: "shop-prod-jobs-dlq", sqs_managed_sse_enabled: true, message_retention_seconds: 1209600 });
    const policies = resourcesOf(json, "aws_sqs_queue_policy");
    expect(policies.jobs_policy.queue_url).toBe("${aws_sqs_queue.jobs_queue.url}");
    expect(String(policies.jobs_policy.policy)).toContain('"Effect" = "Deny", "Principal" = "*", "Action" = "sqs:*", "Resource" = aws_sqs_queue.jobs_queue.arn, "Condition" = {"Bool" = {"aws:SecureTransport" = "false"}}');
    expect(policies.jobs_dead_letter_policy.queue_url).toBe("${aws_sqs_queue.jobs_dead_letter_queue.url}");
  });

  it("moves a message received 5 times to its dead-letter queue, which only it may redrive into; none with maxReceiveCount null", () => {
    expect(queues.jobs_queue.redrive_policy).toBe('${jsonencode({"deadLetterTargetArn" = aws_sqs_queue.jobs_dead_letter_queue.arn, "maxReceiveCount" = 5})}');
    expect(resourcesOf(json, "aws_sqs_queue_redrive_allow_policy").jobs_dead_letter_allow).toMatchObject({
      queue_url: "${aws_sqs_queue.jobs_dead_letter_queue.url}",
      redrive_allow_policy: '${jsonencode({"redrivePermission" = "byQueue", "sourceQueueArns" = [aws_sqs_queue.jobs_queue.arn]})}',
    });
    expect(queues).not.toHaveProperty("events_dead_letter_queue");
    expect(queues.events_queue).not.toHaveProperty("redrive_policy");
  });

  it("grants sending, or consuming (which sends too), on the queue; listing the queues on *", () => {
    const policy = (role: string) => String(resourcesOf(json, "aws_iam_role_policy")[`${role}_policy`].policy);
    expect(policy("producer")).toContain('"Action" = ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"], "Resource" = [aws_sqs_queue.jobs_queue.arn]');
    expect(policy("consumer")).toContain('"Action" = ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"], "Resource" = [aws_sqs_queue.jobs_queue.arn]');
    for (const role of ["producer", "consumer"]) expect(policy(role)).toContain('"Action" = "sqs:ListQueues", "Resource" = "*"');
  });
});
