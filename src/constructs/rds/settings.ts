import { z } from "zod";
import { DailyWindowSchema, KmsKeyArnSchema, LogRetentionSchema, WeeklyWindowSchema } from "../../lib/setting-schemas";
import { RDS_ENGINES } from "./engines";

/**
 * An RDS instance (PostgreSQL or MySQL) in the isolated subnets; see
 * src/constructs/rds/database.ts for what is always on (encryption, managed master
 * password, TLS-only parameter group, no public access, final snapshot, ...).
 * Deletion protection and `prevent_destroy` follow the system's `deletionProtection`.
 */
/** gp3's largest volume, GiB: the ceiling of allocated and autoscaled storage alike. */
export const GP3_MAX_GIB = 65536;

export const RdsConfigSchema = z.strictObject({
  engine: z.enum(RDS_ENGINES).describe("`postgres` or `mysql`."),
  engineVersion: z.string().describe("A major version from the typed list in src/constructs/rds/engines.ts: postgres \"14\"-\"17\", mysql \"8.0\" or \"8.4\". Minor versions are refused: RDS upgrades minors itself (`auto_minor_version_upgrade`) and retires old ones."),
  instanceClass: z.string().default("db.t3.medium"),
  allocatedStorage: z.number().int().min(20).max(GP3_MAX_GIB).default(20).describe("Initial gp3 storage, GiB."),
  maxAllocatedStorage: z
    .number()
    .int()
    .min(0)
    .max(GP3_MAX_GIB)
    .optional()
    .describe("Storage autoscaling ceiling, GiB: at least 10 % above allocatedStorage, rounded up (RDS refuses less at create); 0 turns storage autoscaling off. Default: 100, or 10 % above allocatedStorage when that is larger (0 where that passes gp3's 65536)."),
  multiAz: z.boolean().default(true).describe("A synchronous standby in another AZ."),
  databaseName: z.string().optional().describe("A database created with the instance. Changing it on a running database replaces it (refused at plan where `deletionProtection` is on; in dev the data goes, keeping a final snapshot). Default: none."),
  masterUsername: z.string().default("dbadmin").describe("The master user; RDS generates its password into Secrets Manager. Changing it on a running database replaces it (refused at plan where `deletionProtection` is on; in dev the data goes, keeping a final snapshot)."),
  backupRetentionDays: z
    .number()
    .int()
    .min(0, { message: "must be 0-35 days (0 turns automated backups off)" })
    .max(35, { message: "must be 0-35 days: RDS keeps automated backups for at most 35 days" })
    .default(7).describe("Days of automated backups, 0-35."),
  backupWindow: DailyWindowSchema.default("03:00-04:00"),
  maintenanceWindow: WeeklyWindowSchema.default("sun:04:30-sun:05:30"),
  applyImmediately: z
    .boolean()
    .default(false)
    .describe(
      "Apply changes to the instance and its replicas (instance class, storage, Multi-AZ, engine version, parameter group) at once, with the downtime they bring, instead of in the next `maintenanceWindow`; until then every plan shows them again. Set it for the apply of a major engine upgrade, so the new parameter group takes over before the old one is deleted (docs/data.md), or to resize under load; remove it afterwards. Default: false.",
    ),
  monitoringInterval: z.literal([0, 1, 5, 10, 15, 30, 60]).default(60).describe("Enhanced monitoring interval, seconds: 0 (off), 1, 5, 10, 15, 30 or 60."),
  performanceInsights: z
    .strictObject({
      enabled: z.boolean().default(true),
      retentionDays: z
        .number()
        .int()
        .refine((v) => v === 7 || v === 731 || (v >= 31 && v <= 713 && v % 31 === 0), { message: "must be 7, a multiple of 31 up to 713, or 731 days (Performance Insights retention periods)" })
        .default(7).describe("7, a multiple of 31 up to 713, or 731."),
    })
    .prefault({}).describe("Performance Insights. Default: enabled, 7 days (the free tier)."),
  logRetentionInDays: LogRetentionSchema.default(90).describe("Days to keep the exported engine logs."),
  iamAuthentication: z.boolean().default(true).describe("IAM database authentication."),
  requireTls: z
    .boolean()
    .default(true)
    .describe(
      "Refuse connections without TLS (`rds.force_ssl` for PostgreSQL, `require_secure_transport` for MySQL). Set false only for an app whose database client cannot use TLS: traffic then stays inside the VPC, between the app's and the database's security groups, unencrypted. Default: true.",
    ),
  parameters: z
    .record(
      z.string(),
      z.union([
        z.string(),
        z.strictObject({
          value: z.string(),
          applyMethod: z.enum(["immediate", "pending-reboot"]).optional().describe("`pending-reboot` for a static parameter: RDS refuses `immediate` for those. Default: `immediate`."),
        }),
      ]),
    )
    .default({})
    .describe(
      "Extra DB parameters, by name: a value, applied `immediate`ly (dynamic parameters only), or `{ \"value\", \"applyMethod\": \"pending-reboot\" }` for a static one, such as `shared_preload_libraries` (RDS refuses `immediate` for it, at apply). The TLS one follows `requireTls`.",
    ),
  kmsKeyArn: KmsKeyArnSchema.optional().describe("A customer managed KMS key for storage, the master secret and Performance Insights. Changing it on a running database replaces it (refused at plan where `deletionProtection` is on; in dev the data goes, keeping a final snapshot). Default: the AWS managed keys."),
  readReplicas: z
    .record(
      z.string(),
      z.strictObject({
        instanceClass: z.string().optional().describe("Default: the primary's instance class."),
      }),
    )
    .default({}).describe("Read replicas by name, e.g. { \"reporting\": {} }."),
});

export type RdsConfig = z.infer<typeof RdsConfigSchema>;
