import { z } from "zod";
import { LogRetentionSchema } from "../../lib/setting-schemas";
import { DailyWindowSchema, KmsKeyArnSchema, WeeklyWindowSchema } from "../../lib/setting-schemas";
import { ENV_VAR_NAME } from "../../lib/env-var";

/**
 * An ElastiCache Redis OSS 7 replication group in the isolated subnets; see
 * src/constructs/elasticache/redis.ts for what is always on (encryption at rest and in
 * transit, RBAC users with IAM or generated-password authentication, slow log, final snapshot, ...).
 * `prevent_destroy` follows the system's `deletionProtection`.
 */
export const RedisConfigSchema = z.strictObject({
  engineVersion: z.string().default("7.1").describe("\"7.0\" or \"7.1\"."),
  nodeType: z.string().default("cache.t3.medium"),
  numCacheClusters: z.number().int().min(1).max(6).default(2).describe("Nodes (one primary, the rest replicas), 1-6."),
  multiAz: z.boolean().optional().describe("Replicas in other AZs with automatic failover; needs 2+ nodes. Default: true with 2+ nodes."),
  snapshotRetentionDays: z.number().int().min(0).max(35, { message: "must be 0-35 days" }).default(7).describe("Days of daily snapshots, 0-35."),
  snapshotWindow: DailyWindowSchema.default("03:00-05:00"),
  maintenanceWindow: WeeklyWindowSchema.default("sun:05:30-sun:07:30"),
  applyImmediately: z
    .boolean()
    .default(false)
    .describe(
      "Apply changes to the replication group (node type, engine version) at once instead of in the next `maintenanceWindow`; until then every plan shows them again. Set it to resize under load; remove it afterwards. Default: false.",
    ),
  parameters: z.record(z.string(), z.string()).default({}).describe("Redis parameters, e.g. { \"maxmemory-policy\": \"noeviction\" }."),
  slowLogRetentionInDays: LogRetentionSchema.default(30).describe("Days to keep the slow log in CloudWatch Logs."),
  users: z
    .record(
      z.string(),
      z.strictObject({
        accessString: z.string().optional().describe("Redis ACL rules. Default: \"on ~* &* +@all -@dangerous\"."),
        authentication: z
          .enum(["iam", "password"])
          .default("iam")
          .describe("`iam`: the client signs a short-lived token with its IAM role (granted by `elasticache:Connect`). `password`: for clients that cannot sign tokens (a `REDIS_URL`, Celery's broker URL): Terraform generates the password once and writes the client's URL into `urlSecret` (docs/data.md)."),
        urlSecret: z
          .strictObject({
            name: z.string().describe("A secret of `secrets.entries`."),
            key: z
              .string()
              .regex(ENV_VAR_NAME, { message: "must be an environment variable name" })
              .default("REDIS_URL")
              .describe("The JSON key, which the boot script turns into an environment variable."),
            path: z
              .string()
              .regex(/^([/?][^\s]*)?$/, { message: 'must be empty or start with "/" or "?", without spaces' })
              .default("")
              .describe("What follows `host:port` in the URL, e.g. \"/0?ssl_cert_reqs=required\" for Celery."),
          })
          .optional()
          .describe("Password users only, and required for them: the secret of `secrets.entries` that Terraform writes the connection URL into, as JSON `{ \"<key>\": \"rediss://<user>:<password>@<primary endpoint>:6379<path>\" }`. The clients read it (a service's `app.secrets`)."),
      }),
    )
    .default({ app: { authentication: "iam" } })
    .describe("Application users by name. Each is the ElastiCache user `<project>-<environment>-redis-<name>`, authenticated with IAM (no password exists) or, for clients that cannot sign IAM tokens, with a password Terraform generates and writes, inside a `rediss://` URL, into a secret the clients read (`urlSecret`). Default: { \"app\": {} } with access string \"on ~* &* +@all -@dangerous\"."),
  kmsKeyArn: KmsKeyArnSchema.optional().describe("A customer managed KMS key for encryption at rest. Changing it on a running cache replaces it (refused at plan where `deletionProtection` is on). Default: the AWS managed key."),
});

export type RedisConfig = z.infer<typeof RedisConfigSchema>;
