import { z } from "zod";
import { RDS_ENGINES } from "../constructs/rds/engines";
import { LogRetentionSchema } from "./network-config";

const WEEKDAY = "(mon|tue|wed|thu|fri|sat|sun)";
/** A daily UTC window, `hh:mm-hh:mm`. */
export const DailyWindowSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a UTC window "hh:mm-hh:mm"' });
/** A weekly UTC window, `ddd:hh:mm-ddd:hh:mm`. */
export const WeeklyWindowSchema = z
  .string()
  .regex(new RegExp(`^${WEEKDAY}:([01]\\d|2[0-3]):[0-5]\\d-${WEEKDAY}:([01]\\d|2[0-3]):[0-5]\\d$`), { message: 'must be a UTC window "ddd:hh:mm-ddd:hh:mm", e.g. "sun:04:30-sun:05:30"' });
/** A KMS key ARN. */
export const KmsKeyArnSchema = z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/, { message: "must be a KMS key ARN, arn:aws:kms:<region>:<account>:key/<id>" });

/**
 * An RDS instance (PostgreSQL or MySQL) in the isolated subnets; see
 * src/constructs/rds/database.ts for what is always on (encryption, managed master
 * password, TLS-only parameter group, no public access, final snapshot, ...).
 * Deletion protection and `prevent_destroy` follow the system's `deletionProtection`.
 */
export const RdsConfigSchema = z.strictObject({
  /** `postgres` or `mysql`. */
  engine: z.enum(RDS_ENGINES),
  /**
   * A major version from the typed list in src/constructs/rds/engines.ts: postgres
   * "14"-"17", mysql "8.0" or "8.4". Minor versions are refused: RDS upgrades minors
   * itself (`auto_minor_version_upgrade`) and retires old ones.
   */
  engineVersion: z.string(),
  /** @default "db.t3.medium" */
  instanceClass: z.string().default("db.t3.medium"),
  /** Initial gp3 storage, GiB. @default 20 */
  allocatedStorage: z.number().int().min(20).max(65536).default(20),
  /** Storage autoscaling ceiling, GiB; at least allocatedStorage. @default 100 */
  maxAllocatedStorage: z.number().int().max(65536).default(100),
  /** A synchronous standby in another AZ. @default true */
  multiAz: z.boolean().default(true),
  /** A database created with the instance. @default none */
  databaseName: z.string().optional(),
  /** The master user; RDS generates its password into Secrets Manager. @default "dbadmin" */
  masterUsername: z.string().default("dbadmin"),
  /** Days of automated backups, 0-35. @default 7 */
  backupRetentionDays: z
    .number()
    .int()
    .min(0, { message: "must be 0-35 days (0 turns automated backups off)" })
    .max(35, { message: "must be 0-35 days: RDS keeps automated backups for at most 35 days" })
    .default(7),
  /** @default "03:00-04:00" */
  backupWindow: DailyWindowSchema.default("03:00-04:00"),
  /** @default "sun:04:30-sun:05:30" */
  maintenanceWindow: WeeklyWindowSchema.default("sun:04:30-sun:05:30"),
  /** Enhanced monitoring interval, seconds: 0 (off), 1, 5, 10, 15, 30 or 60. @default 60 */
  monitoringInterval: z.literal([0, 1, 5, 10, 15, 30, 60]).default(60),
  /** Performance Insights. @default enabled, 7 days (the free tier) */
  performanceInsights: z
    .strictObject({
      /** @default true */
      enabled: z.boolean().default(true),
      /** 7, a multiple of 31 up to 713, or 731. @default 7 */
      retentionDays: z
        .number()
        .int()
        .refine((v) => v === 7 || v === 731 || (v >= 31 && v <= 713 && v % 31 === 0), { message: "must be 7, a multiple of 31 up to 713, or 731 days (Performance Insights retention periods)" })
        .default(7),
    })
    .prefault({}),
  /** Days to keep the exported engine logs. @default 90 */
  logRetentionInDays: LogRetentionSchema.default(90),
  /** IAM database authentication. @default true */
  iamAuthentication: z.boolean().default(true),
  /** Extra DB parameters (the TLS one is always forced on). @default {} */
  parameters: z.record(z.string(), z.string()).default({}),
  /** A customer managed KMS key for storage, the master secret and Performance Insights. @default the AWS managed keys */
  kmsKeyArn: KmsKeyArnSchema.optional(),
  /** Read replicas by name, e.g. { "reporting": {} }. @default {} */
  readReplicas: z
    .record(
      z.string(),
      z.strictObject({
        /** @default the primary's instance class */
        instanceClass: z.string().optional(),
      }),
    )
    .default({}),
});

export type RdsConfig = z.infer<typeof RdsConfigSchema>;
