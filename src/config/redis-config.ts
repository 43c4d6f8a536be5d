import { z } from "zod";
import { LogRetentionSchema } from "./network-config";
import { DailyWindowSchema, KmsKeyArnSchema, WeeklyWindowSchema } from "./rds-config";

/**
 * An ElastiCache Redis OSS 7 replication group in the isolated subnets; see
 * src/constructs/elasticache/redis.ts for what is always on (encryption at rest and in
 * transit, IAM authentication through RBAC users, slow log, final snapshot, ...).
 * `prevent_destroy` follows the system's `deletionProtection`.
 */
export const RedisConfigSchema = z.strictObject({
  /** "7.0" or "7.1". @default "7.1" */
  engineVersion: z.string().default("7.1"),
  /** @default "cache.t3.medium" */
  nodeType: z.string().default("cache.t3.medium"),
  /** Nodes (one primary, the rest replicas), 1-6. @default 2 */
  numCacheClusters: z.number().int().min(1).max(6).default(2),
  /** Replicas in other AZs with automatic failover; needs 2+ nodes. @default true with 2+ nodes */
  multiAz: z.boolean().optional(),
  /** Days of daily snapshots, 0-35. @default 7 */
  snapshotRetentionDays: z.number().int().min(0).max(35, { message: "must be 0-35 days" }).default(7),
  /** @default "03:00-05:00" */
  snapshotWindow: DailyWindowSchema.default("03:00-05:00"),
  /** @default "sun:05:30-sun:07:30" */
  maintenanceWindow: WeeklyWindowSchema.default("sun:05:30-sun:07:30"),
  /** Redis parameters, e.g. { "maxmemory-policy": "noeviction" }. @default {} */
  parameters: z.record(z.string(), z.string()).default({}),
  /** Days to keep the slow log in CloudWatch Logs. @default 30 */
  slowLogRetentionInDays: LogRetentionSchema.default(30),
  /**
   * Application users by name, authenticated with IAM (no password exists). Each is the
   * ElastiCache user `<project>-<environment>-redis-<name>`.
   * @default { "app": {} } with access string "on ~* &* +@all -@dangerous"
   */
  users: z
    .record(
      z.string(),
      z.strictObject({
        /** Redis ACL rules. @default "on ~* &* +@all -@dangerous" */
        accessString: z.string().optional(),
        /**
         * `iam`: the client signs a short-lived token with its IAM role (granted by
         * `elasticache:Connect`). `password`: for clients that cannot sign tokens (Celery's
         * broker): the user is created disabled with no password, and you set its password
         * once, outside Terraform, so no password is ever in state (docs/data.md).
         * @default "iam"
         */
        authentication: z.enum(["iam", "password"]).default("iam"),
      }),
    )
    .default({ app: { authentication: "iam" } }),
  /** A customer managed KMS key for encryption at rest. @default the AWS managed key */
  kmsKeyArn: KmsKeyArnSchema.optional(),
});

export type RedisConfig = z.infer<typeof RedisConfigSchema>;
