import { z } from "zod";
import { LogRetentionSchema } from "../../lib/setting-schemas";
import { Naming } from "../../lib/naming";

/** The periods CloudWatch alarms accept: 10, 30, or a multiple of 60 seconds. */
export function isAlarmPeriod(seconds: number): boolean {
  return seconds === 10 || seconds === 30 || (Number.isInteger(seconds) && seconds >= 60 && seconds % 60 === 0);
}

/**
 * The audit layer: a CloudTrail trail, alarms on secret access and certificate expiry,
 * and the SNS topic they notify.
 */
export const AuditConfigSchema = z.strictObject({
  trail: z
    .strictObject({
      bucketName: z.string().optional().describe("The log bucket. Default: \"<project>-<environment>-cloudtrail\"."),
      logRetentionInDays: LogRetentionSchema.default(365).describe("Days to keep the CloudWatch Logs copy."),
      transitionToGlacierDays: z.number().int().min(1).default(90).describe("Days before log files move to Glacier Instant Retrieval."),
      expirationDays: z.number().int().min(2).default(2557).describe("Days before log files are deleted. Default: 2557 (7 years). After the Glacier transition."),
    })
    .refine((t) => t.expirationDays > t.transitionToGlacierDays, { path: ["expirationDays"], message: "must come after the Glacier transition (transitionToGlacierDays)" })
    .prefault({}).describe("The CloudTrail trail."),
  secretAccessAlarm: z
    .strictObject({
      threshold: z.number().min(0).default(100),
      periodSeconds: z
        .number()
        .int()
        .min(10, { message: "must be 10, 30 or a multiple of 60 up to 86400 seconds (CloudWatch alarm periods)" })
        .max(86400, { message: "must be 10, 30 or a multiple of 60 up to 86400 seconds (CloudWatch alarm periods)" })
        .refine(isAlarmPeriod, { message: "must be 10, 30 or a multiple of 60 seconds (CloudWatch alarm periods)" })
        .default(300).describe("10, 30 or a multiple of 60."),
    })
    .prefault({}).describe("The alarm on Secrets Manager GetSecretValue calls. Default: more than 100 in 5 minutes."),
  certificateExpiry: z
    .strictObject({
      thresholdDays: z.number().int().min(1).max(397).default(30).describe("Alarm when fewer days remain."),
      certificates: z.record(z.string(), z.string()).default({}).describe("ACM certificates by name -> ARN, each with a DaysToExpiry alarm."),
      acmEvents: z.boolean().default(true).describe("Forward ACM's \"approaching expiration\" events for every certificate of the region."),
      secretCertificates: z
        .strictObject({
          secrets: z.array(z.string().min(1)).min(1).describe("Secret names, e.g. `joblet/ca-cert`. Each gets the alarm `<project>-<environment>-certificate-expiry-<label>`, the label being the name with each run of characters other than letters, digits and hyphens made one hyphen: no two secrets, and no secret and ACM certificate name, may share a label."),
          publishedBy: z.string().min(1).describe("The compute service whose instances publish the metric."),
        })
        .optional().describe("Certificates kept in Secrets Manager (one PEM certificate per secret), which ACM cannot see: the instances of `publishedBy` publish each one's days to expiry hourly as the custom metric `<project>-<environment>/certificates` `DaysToExpiry` (dimension `SecretId`), and each gets an alarm on it. `publishedBy` must be able to read the secrets. Default: none."),
    })
    .prefault({}).describe("Certificate expiry alerts."),
  alarmSubscriptions: z
    .array(
      z.strictObject({
        protocol: z.enum(["email", "https", "sqs", "lambda"]),
        endpoint: z.string(),
      }),
    )
    .default([]).describe("Subscriptions to the alarm topic. `email`: confirmed from the email SNS sends. `lambda`: a function ARN in the system's region (and account, when `accountId` is set), which also gets a permission (`aws_lambda_permission`) letting this topic invoke it. `sqs`: the queue is yours and its policy is left alone, so synth warns: SNS delivers only if the queue's policy allows `sns.amazonaws.com` `sqs:SendMessage` with `aws:SourceArn` = the topic's ARN (the audit stack's output `alarm_topic_arn`), and, for a queue encrypted with KMS, a customer managed key whose policy lets `sns.amazonaws.com` use it (`kms:GenerateDataKey*`, `kms:Decrypt`; not `alias/aws/sqs`). Otherwise every notification is dropped."),
  keyDeletionWindowInDays: z.number().int().min(7).max(30).default(30).describe("Days the audit KMS key stays recoverable after deletion, 7-30."),
});

export type AuditConfig = z.infer<typeof AuditConfigSchema>;

/** The trail's bucket: `trail.bucketName` as set, else `<project>-<environment>-cloudtrail` (a default derived from the naming). */
export function trailBucketNameOf(naming: Naming, trail: Pick<AuditConfig["trail"], "bucketName">): string {
  return trail.bucketName ?? naming.name("s3Bucket", "cloudtrail");
}
