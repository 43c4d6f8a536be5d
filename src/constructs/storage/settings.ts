import { z } from "zod";
import { Naming } from "../../lib/naming";

/** S3 storage classes a lifecycle rule can move objects to. */
export const STORAGE_CLASSES = ["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"] as const;

/** The classes S3 moves objects to only after they are 30 days old (or noncurrent for 30 days). */
const THIRTY_DAY_CLASSES: readonly string[] = ["STANDARD_IA", "ONEZONE_IA"];

const TransitionSchema = z
  .strictObject({
    days: z.number().int().min(1).describe("Days after creation (or after becoming noncurrent); at least 30 for `STANDARD_IA` and `ONEZONE_IA`."),
    storageClass: z.enum(STORAGE_CLASSES),
  })
  .superRefine((transition, ctx) => {
    if (THIRTY_DAY_CLASSES.includes(transition.storageClass) && transition.days < 30) {
      ctx.addIssue({
        code: "custom",
        path: ["days"],
        input: transition.days,
        message: `is under 30: S3 refuses a lifecycle rule moving objects to ${transition.storageClass} before they are 30 days old`,
        params: { fix: "use 30 or more, or a class with no minimum age (INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE)" },
      });
    }
  });

/** What happens to a bucket's objects as they age. */
export const BucketLifecycleSchema = z
  .strictObject({
    transitions: z.array(TransitionSchema).default([]).describe("Transitions of current objects."),
    expirationDays: z.number().int().min(1).optional().describe("Days after which current objects expire. Default: never. After every transition."),
    noncurrentTransitions: z.array(TransitionSchema).default([]).describe("Transitions of noncurrent versions."),
    noncurrentVersionExpirationDays: z.number().int().min(1).optional().describe("Days after which noncurrent versions are deleted. Default: never."),
    abortIncompleteUploadDays: z.number().int().min(1).default(7).describe("Days after which incomplete multipart uploads are aborted."),
  })
  .superRefine((lifecycle, ctx) => {
    const expiration = lifecycle.expirationDays;
    const early = lifecycle.transitions.find((t) => expiration !== undefined && t.days >= expiration);
    if (early) {
      ctx.addIssue({
        code: "custom",
        path: ["expirationDays"],
        input: expiration,
        message: `is not after the ${early.storageClass} transition (day ${early.days})`,
        params: { fix: `expire after day ${early.days}, or drop the transition` },
      });
    }
  });

/** One S3 bucket, built with SecureBucket (private, TLS-only, versioned, encrypted, prevent_destroy). */
export const BucketConfigSchema = z.strictObject({
  bucketName: z.string().optional().describe("The globally unique name. Default: \"<project>-<environment>-<key>\"."),
  encryption: z.enum(["SSE-S3", "SSE-KMS"]).default("SSE-S3").describe("`SSE-S3` (AES256) or `SSE-KMS` with the storage stack's customer managed key."),
  versioning: z.boolean().default(true).describe("Keep object versions."),
  lifecycle: BucketLifecycleSchema.prefault({}).describe("Default: only aborting incomplete uploads after 7 days."),
});

const TableKeySchema = z.strictObject({
  name: z.string().min(1).max(255),
  type: z.enum(["S", "N", "B"]).default("S"),
});

/** A global secondary index: on demand like its table; its keys become attribute definitions of the table. */
const GlobalSecondaryIndexSchema = z.strictObject({
  partitionKey: TableKeySchema,
  sortKey: TableKeySchema.optional().describe("Default: none."),
  projection: z.enum(["ALL", "KEYS_ONLY"]).default("ALL").describe("The attributes the index holds: `ALL`, or `KEYS_ONLY` (the table's and the index's keys)."),
});

/** One DynamoDB table, built with DynamoTable (on demand, PITR, SSE, deletion protection). */
export const TableConfigSchema = z.strictObject({
  tableName: z.string().optional().describe("Default: \"<project>-<environment>-<key>\"."),
  partitionKey: TableKeySchema,
  sortKey: TableKeySchema.optional().describe("Default: none."),
  ttlAttribute: z.string().optional().describe("Attribute holding each item's expiry (epoch seconds). Default: no TTL."),
  globalSecondaryIndexes: z
    .record(z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, { message: "must be 3-255 letters, digits, _ . -" }), GlobalSecondaryIndexSchema)
    .default({})
    .describe("Global secondary indexes by name, e.g. { \"GSI1\": { \"partitionKey\": { \"name\": \"GSI1PK\" }, \"sortKey\": { \"name\": \"GSI1SK\" } } }. An attribute that keys the table and an index has one type. Default: none."),
});

/** One SQS queue, built with MessageQueue (SSE-SQS, TLS only, a dead-letter queue). */
export const QueueConfigSchema = z
  .strictObject({
    queueName: z.string().optional().describe("Default: \"<project>-<environment>-<key>\"."),
    visibilityTimeoutSeconds: z.number().int().min(0).max(43200).default(30).describe("Seconds a received message stays hidden from other consumers, 0-43200: longer than its consumer takes to process it."),
    messageRetentionSeconds: z.number().int().min(60).max(1209600).default(345600).describe("Seconds an unconsumed message is kept, 60-1209600 (14 days); with a dead-letter queue, less than 14 days. Default: 4 days."),
    maxReceiveCount: z.number().int().min(1).max(1000).nullable().default(5).describe("Receives after which a message moves to the dead-letter queue `<queueName>-dlq`, which keeps it 14 days from when it was first sent; `null` for no dead-letter queue."),
  })
  .superRefine((queue, ctx) => {
    if (queue.maxReceiveCount !== null && queue.messageRetentionSeconds >= DEAD_LETTER_RETENTION_SECONDS) {
      ctx.addIssue({
        code: "custom",
        path: ["messageRetentionSeconds"],
        input: queue.messageRetentionSeconds,
        message: `is not below the dead-letter queue's ${DEAD_LETTER_RETENTION_SECONDS} s: a dead letter keeps the time it was first sent, so it could expire as it arrives`,
        params: { fix: `keep messages less long (e.g. 345600, 4 days), or set maxReceiveCount to null` },
      });
    }
  });

/** Seconds a dead-letter queue keeps a message, from when it was first sent: SQS's longest, time to look at what failed. */
export const DEAD_LETTER_RETENTION_SECONDS = 1_209_600;

/** The storage layer's buckets and tables (the secrets and registry have their own keys). */
export const StorageConfigSchema = z.strictObject({
  buckets: z.record(z.string(), BucketConfigSchema).default({}).describe("S3 buckets by key, e.g. { \"documents\": {} }."),
  accessLogs: z.boolean().default(true).describe("Server access logs of every bucket, into one `<project>-<environment>-s3-access-logs` bucket (SSE-S3, as S3 log delivery requires)."),
  accessLogExpirationDays: z.number().int().min(1).default(365).describe("Days to keep access logs."),
  tables: z.record(z.string(), TableConfigSchema).default({}).describe("DynamoDB tables by key."),
  queues: z.record(z.string(), QueueConfigSchema).default({}).describe("SQS queues by key, e.g. a Celery broker's."),
  keyDeletionWindowInDays: z.number().int().min(7).max(30).default(30).describe("Days the storage KMS key (secrets, SSE-KMS buckets) stays recoverable after deletion, 7-30."),
});

export type StorageConfig = z.infer<typeof StorageConfigSchema>;
export type BucketConfig = z.infer<typeof BucketConfigSchema>;
export type TableConfig = z.infer<typeof TableConfigSchema>;
export type QueueConfig = z.infer<typeof QueueConfigSchema>;

/** A data bucket's name: `bucketName` as set, else `<project>-<environment>-<key>` (a default derived from the naming). */
export function bucketNameOf(naming: Naming, key: string, bucket: Pick<BucketConfig, "bucketName">): string {
  return bucket.bucketName ?? naming.name("s3Bucket", key);
}

/** The one bucket receiving every data bucket's server access logs: `<project>-<environment>-s3-access-logs`. */
export function accessLogBucketNameOf(naming: Naming): string {
  return naming.name("s3Bucket", "s3-access-logs");
}

/** A queue's name: `queueName` as set, else `<project>-<environment>-<key>` (a default derived from the naming). */
export function queueNameOf(naming: Naming, key: string, queue: Pick<QueueConfig, "queueName">): string {
  return queue.queueName ?? naming.name("sqsQueue", key);
}

/** What a queue's dead-letter queue adds to its name. */
export const DEAD_LETTER_SUFFIX = "-dlq";

/** The name of a queue's dead-letter queue. */
export function deadLetterQueueNameOf(queueName: string): string {
  return `${queueName}${DEAD_LETTER_SUFFIX}`;
}

/** A table's name: `tableName` as set, else `<project>-<environment>-<key>` (a default derived from the naming). */
export function tableNameOf(naming: Naming, key: string, table: Pick<TableConfig, "tableName">): string {
  return table.tableName ?? naming.name("dynamodbTable", key);
}
