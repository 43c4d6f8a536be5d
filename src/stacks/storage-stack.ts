import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { ResolvedSystemConfig } from "../config/resolve";
import { partitionOf } from "../lib/regions";
import { EncryptionKey } from "../constructs/kms/encryption-key";
import { ContainerRepository } from "../constructs/registry/repository";
import { SecretStore } from "../constructs/secrets/secret-store";
import { DynamoTable } from "../constructs/storage/dynamodb-table";
import { MessageQueue } from "../constructs/storage/message-queue";
import { SecureBucket } from "../constructs/storage/secure-bucket";
import { accessLogBucketNameOf, bucketNameOf, queueNameOf, tableNameOf } from "../constructs/storage/settings";
import { repositoryNameOf } from "../constructs/registry/settings";
import { ServiceResources } from "../constructs/asg/app-service";
import { AwsStack, StackContext } from "./aws-stack";

/** Terraform outputs gathered by the feature methods, written last in insertion order. */
type Outputs = Record<string, { value: unknown; description: string }>;

/**
 * The storage layer: what the compute tier consumes and that outlives it. S3 buckets
 * (SecureBucket) with one access-log bucket, DynamoDB application tables (DynamoTable),
 * SQS queues (MessageQueue), ECR repositories, Secrets Manager secrets (containers only, never values) and the
 * customer managed KMS key that encrypts the secrets and any SSE-KMS bucket.
 *
 * It depends on no other stack. Its outputs (names, ARNs, URLs and the secrets' prefix
 * pattern) are what compute stacks grant their roles access to.
 */
export class StorageStack extends AwsStack {
  public readonly key?: EncryptionKey;
  public readonly buckets: Readonly<Record<string, SecureBucket>>;
  public readonly accessLogBucket?: SecureBucket;
  public readonly tables: Readonly<Record<string, DynamoTable>>;
  public readonly queues: Readonly<Record<string, MessageQueue>>;
  public readonly repositories: Readonly<Record<string, ContainerRepository>>;
  public readonly secrets?: SecretStore;

  /** Whether the system has anything this stack builds: buckets, tables, queues, repositories or secrets. */
  public static isNeeded(config: ResolvedSystemConfig): boolean {
    return (
      Object.keys(config.storage.buckets).length > 0 ||
      Object.keys(config.storage.tables).length > 0 ||
      Object.keys(config.storage.queues).length > 0 ||
      Object.keys(config.registry.repositories).length > 0 ||
      config.secrets !== undefined
    );
  }

  constructor(scope: Construct, context: StackContext) {
    super(scope, "storage", context);
    const { config, naming } = context;
    const storage = config.storage;
    const outputs: Outputs = {};

    const needsKey = config.secrets !== undefined || Object.values(storage.buckets).some((b) => b.encryption === "SSE-KMS");
    if (needsKey) this.key = this.addKey(outputs);
    const bucketNames = Object.fromEntries(Object.entries(storage.buckets).map(([key, b]) => [key, bucketNameOf(naming, key, b)]));
    if (storage.accessLogs && Object.keys(storage.buckets).length > 0) this.accessLogBucket = this.addAccessLogBucket(bucketNames, outputs);
    this.buckets = this.addBuckets(bucketNames, outputs);
    this.tables = this.addTables(outputs);
    this.queues = this.addQueues(outputs);
    this.repositories = this.addRepositories(outputs);
    if (config.secrets) this.secrets = this.addSecrets(config.secrets, outputs);

    for (const [id, o] of Object.entries(outputs)) new TerraformOutput(this, id, o);
  }

  /** The customer managed KMS key of the secrets and the SSE-KMS buckets. */
  private addKey(outputs: Outputs): EncryptionKey {
    const { config, naming } = this;
    const key = new EncryptionKey(this, "kms", {
      alias: `${naming.prefix}-storage`,
      description: `${naming.prefix}: Secrets Manager secrets and SSE-KMS buckets`,
      deletionWindowInDays: config.storage.keyDeletionWindowInDays,
      preventDestroy: config.deletionProtection,
    });
    outputs.kms_key_arn = { value: key.arn, description: "The storage KMS key (secrets, SSE-KMS buckets)" };
    return key;
  }

  /** The bucket receiving the data buckets' S3 server access logs, writable by S3's log delivery for them only. */
  private addAccessLogBucket(bucketNames: Record<string, string>, outputs: Outputs): SecureBucket {
    const { config, naming } = this;
    const partition = partitionOf(config.region);
    const logBucketName = accessLogBucketNameOf(naming);
    // S3 delivers server access logs only to SSE-S3 buckets.
    const logBucket = new SecureBucket(this, "s3_access_logs", {
      bucketName: logBucketName,
      lifecycle: { expirationDays: config.storage.accessLogExpirationDays, noncurrentVersionExpirationDays: 30 },
    });
    logBucket.addToResourcePolicy({
      Sid: "S3LogDeliveryWrites",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${logBucket.arn}/*`,
      Condition: {
        ArnLike: { "aws:SourceArn": Object.values(bucketNames).sort().map((name) => `arn:${partition}:s3:::${name}`) },
        ...(config.accountId ? { StringEquals: { "aws:SourceAccount": config.accountId } } : {}),
      },
    });
    outputs.access_log_bucket_name = { value: logBucket.name, description: "The bucket receiving S3 server access logs" };
    return logBucket;
  }

  /** The data buckets (`s3_<key>`), protected from destroy in every environment. */
  private addBuckets(bucketNames: Record<string, string>, outputs: Outputs): Record<string, SecureBucket> {
    const config = this.config;
    const buckets: Record<string, SecureBucket> = {};
    for (const [key, bucket] of Object.entries(config.storage.buckets)) {
      buckets[key] = new SecureBucket(this, `s3_${key}`, {
        bucketName: bucketNames[key],
        kmsKeyArn: bucket.encryption === "SSE-KMS" ? this.key!.arn : undefined,
        region: config.region,
        versioning: bucket.versioning,
        lifecycle: bucket.lifecycle,
        accessLogs: this.accessLogBucket ? { targetBucket: this.accessLogBucket.name, prefix: `${bucketNames[key]}/` } : undefined,
        // Data buckets are protected in every environment.
        preventDestroy: true,
      });
      outputs[`bucket_${key}_name`] = { value: buckets[key].name, description: `The ${key} bucket` };
      outputs[`bucket_${key}_arn`] = { value: buckets[key].arn, description: `The ${key} bucket's ARN` };
    }
    return buckets;
  }

  /** The DynamoDB application tables (`dynamodb_<key>`). */
  private addTables(outputs: Outputs): Record<string, DynamoTable> {
    const { config, naming } = this;
    const tables: Record<string, DynamoTable> = {};
    for (const [key, table] of Object.entries(config.storage.tables)) {
      tables[key] = new DynamoTable(this, `dynamodb_${key}`, {
        tableName: tableNameOf(naming, key, table),
        settings: table,
        deletionProtection: config.deletionProtection,
        preventDestroy: config.deletionProtection,
      });
      outputs[`table_${key}_name`] = { value: tables[key].name, description: `The ${key} DynamoDB table` };
      outputs[`table_${key}_arn`] = { value: tables[key].arn, description: `The ${key} DynamoDB table's ARN` };
    }
    return tables;
  }

  /** The ECR repositories (`ecr_<key>`). */
  private addRepositories(outputs: Outputs): Record<string, ContainerRepository> {
    const { config, naming } = this;
    const repositories: Record<string, ContainerRepository> = {};
    for (const [key, repo] of Object.entries(config.registry.repositories)) {
      repositories[key] = new ContainerRepository(this, `ecr_${key}`, {
        repositoryName: repositoryNameOf(naming, key, repo),
        settings: repo,
        preventDestroy: config.deletionProtection,
      });
      outputs[`repository_${key}_url`] = { value: repositories[key].url, description: `The ${key} ECR repository's URL` };
      outputs[`repository_${key}_arn`] = { value: repositories[key].arn, description: `The ${key} ECR repository's ARN` };
    }
    return repositories;
  }

  /** The Secrets Manager secrets (containers only, never values), encrypted with the storage key. */
  private addSecrets(secretsConfig: NonNullable<ResolvedSystemConfig["secrets"]>, outputs: Outputs): SecretStore {
    const secrets = new SecretStore(this, "secrets", {
      region: this.config.region,
      accountId: this.config.accountId,
      kmsKeyArn: this.key!.arn,
      settings: secretsConfig,
      deletionProtection: this.config.deletionProtection,
    });
    const names = Object.keys(secrets.secrets);
    outputs.secret_arns = { value: Object.fromEntries(names.map((n) => [n, secrets.secrets[n].arn])), description: "Secret ARNs, by name" };
    outputs.secrets_prefix_arn = { value: secrets.prefixArn, description: "The ARN pattern of every secret under the prefix, for IAM policies" };
    return secrets;
  }

  /** The SQS queues (`sqs_<key>`), each with its dead-letter queue unless it has none. */
  private addQueues(outputs: Outputs): Record<string, MessageQueue> {
    const { config, naming } = this;
    const queues: Record<string, MessageQueue> = {};
    for (const [key, queue] of Object.entries(config.storage.queues)) {
      queues[key] = new MessageQueue(this, `sqs_${key}`, { queueName: queueNameOf(naming, key, queue), settings: queue });
      outputs[`queue_${key}_url`] = { value: queues[key].url, description: `The ${key} SQS queue's URL` };
      outputs[`queue_${key}_arn`] = { value: queues[key].arn, description: `The ${key} SQS queue's ARN` };
    }
    return queues;
  }

  /** What the compute tier's grants may name: secrets, repositories, tables, queues and buckets. */
  public get resources(): ServiceResources {
    return {
      secrets: this.secrets,
      repositories: Object.values(this.repositories),
      tables: Object.values(this.tables),
      queues: Object.values(this.queues),
      buckets: Object.values(this.buckets),
    };
  }
}
