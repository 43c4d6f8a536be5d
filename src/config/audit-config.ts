import { z } from "zod";
import { LogRetentionSchema } from "./network-config";

/**
 * The audit layer: a CloudTrail trail, alarms on secret access and certificate expiry,
 * and the SNS topic they notify.
 */
export const AuditConfigSchema = z.strictObject({
  /** The CloudTrail trail. */
  trail: z
    .strictObject({
      /** The log bucket. @default "<project>-<environment>-cloudtrail" */
      bucketName: z.string().optional(),
      /** Days to keep the CloudWatch Logs copy. @default 365 */
      logRetentionInDays: LogRetentionSchema.default(365),
      /** Days before log files move to Glacier Instant Retrieval. @default 90 */
      transitionToGlacierDays: z.number().int().min(1).default(90),
      /** Days before log files are deleted. @default 2557 (7 years) */
      expirationDays: z.number().int().min(2).default(2557),
    })
    .prefault({}),
  /** The alarm on Secrets Manager GetSecretValue calls. @default more than 100 in 5 minutes */
  secretAccessAlarm: z
    .strictObject({
      /** @default 100 */
      threshold: z.number().min(0).default(100),
      /** 10, 30 or a multiple of 60. @default 300 */
      periodSeconds: z
        .number()
        .int()
        .min(10, { message: "must be 10, 30 or a multiple of 60 up to 86400 seconds (CloudWatch alarm periods)" })
        .max(86400, { message: "must be 10, 30 or a multiple of 60 up to 86400 seconds (CloudWatch alarm periods)" })
        .refine((v) => v === 10 || v === 30 || v % 60 === 0, { message: "must be 10, 30 or a multiple of 60 seconds (CloudWatch alarm periods)" })
        .default(300),
    })
    .prefault({}),
  /** Certificate expiry alerts. */
  certificateExpiry: z
    .strictObject({
      /** Alarm when fewer days remain. @default 30 */
      thresholdDays: z.number().int().min(1).max(397).default(30),
      /** ACM certificates by name -> ARN, each with a DaysToExpiry alarm. @default {} */
      certificates: z.record(z.string(), z.string()).default({}),
      /** Forward ACM's "approaching expiration" events for every certificate of the region. @default true */
      acmEvents: z.boolean().default(true),
      /**
       * Certificates kept in Secrets Manager (one PEM certificate per secret), which ACM
       * cannot see: the instances of `publishedBy` publish each one's days to expiry hourly
       * as the custom metric `<project>-<environment>/certificates` `DaysToExpiry`
       * (dimension `SecretId`), and each gets an alarm on it. `publishedBy` must be able to
       * read the secrets. @default none
       */
      secretCertificates: z
        .strictObject({
          /** Secret names, e.g. `joblet/ca-cert`. */
          secrets: z.array(z.string().min(1)).min(1),
          /** The compute service whose instances publish the metric. */
          publishedBy: z.string().min(1),
        })
        .optional(),
    })
    .prefault({}),
  /** Subscriptions to the alarm topic. @default [] */
  alarmSubscriptions: z
    .array(
      z.strictObject({
        protocol: z.enum(["email", "https", "sqs", "lambda"]),
        endpoint: z.string(),
      }),
    )
    .default([]),
  /** Days the audit KMS key stays recoverable after deletion, 7-30. @default 30 */
  keyDeletionWindowInDays: z.number().int().min(7).max(30).default(30),
});

export type AuditConfig = z.infer<typeof AuditConfigSchema>;
