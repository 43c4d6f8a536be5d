import { z } from "zod";

/** S3 storage classes a lifecycle rule can move objects to. */
export const STORAGE_CLASSES = ["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"] as const;

const TransitionSchema = z.strictObject({
  /** Days after creation (or after becoming noncurrent). */
  days: z.number().int().min(1),
  storageClass: z.enum(STORAGE_CLASSES),
});

/** What happens to a bucket's objects as they age. */
export const BucketLifecycleSchema = z.strictObject({
  /** Transitions of current objects. @default [] */
  transitions: z.array(TransitionSchema).default([]),
  /** Days after which current objects expire. @default never */
  expirationDays: z.number().int().min(1).optional(),
  /** Transitions of noncurrent versions. @default [] */
  noncurrentTransitions: z.array(TransitionSchema).default([]),
  /** Days after which noncurrent versions are deleted. @default never */
  noncurrentVersionExpirationDays: z.number().int().min(1).optional(),
  /** Days after which incomplete multipart uploads are aborted. @default 7 */
  abortIncompleteUploadDays: z.number().int().min(1).default(7),
});

/** One S3 bucket, built with SecureBucket (private, TLS-only, versioned, encrypted, prevent_destroy). */
export const BucketConfigSchema = z.strictObject({
  /** The globally unique name. @default "<project>-<environment>-<key>" */
  bucketName: z.string().optional(),
  /** `SSE-S3` (AES256) or `SSE-KMS` with the storage stack's customer managed key. @default "SSE-S3" */
  encryption: z.enum(["SSE-S3", "SSE-KMS"]).default("SSE-S3"),
  /** Keep object versions. @default true */
  versioning: z.boolean().default(true),
  /** @default only aborting incomplete uploads after 7 days */
  lifecycle: BucketLifecycleSchema.prefault({}),
});

const TableKeySchema = z.strictObject({
  name: z.string().min(1).max(255),
  /** @default "S" */
  type: z.enum(["S", "N", "B"]).default("S"),
});

/** One DynamoDB table, built with DynamoTable (on demand, PITR, SSE, deletion protection). */
export const TableConfigSchema = z.strictObject({
  /** @default "<project>_<environment>_<key>" */
  tableName: z.string().optional(),
  partitionKey: TableKeySchema,
  /** @default none */
  sortKey: TableKeySchema.optional(),
  /** Attribute holding each item's expiry (epoch seconds). @default no TTL */
  ttlAttribute: z.string().optional(),
});

/** The storage layer's buckets and tables (the secrets and registry have their own keys). */
export const StorageConfigSchema = z.strictObject({
  /** S3 buckets by key, e.g. { "documents": {} }. @default {} */
  buckets: z.record(z.string(), BucketConfigSchema).default({}),
  /**
   * Server access logs of every bucket, into one `<project>-<environment>-s3-access-logs`
   * bucket (SSE-S3, as S3 log delivery requires). @default true
   */
  accessLogs: z.boolean().default(true),
  /** Days to keep access logs. @default 365 */
  accessLogExpirationDays: z.number().int().min(1).default(365),
  /** DynamoDB tables by key. @default {} */
  tables: z.record(z.string(), TableConfigSchema).default({}),
  /** Days the storage KMS key (secrets, SSE-KMS buckets) stays recoverable after deletion, 7-30. @default 30 */
  keyDeletionWindowInDays: z.number().int().min(7).max(30).default(30),
});

export type StorageConfig = z.infer<typeof StorageConfigSchema>;
