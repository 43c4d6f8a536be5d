import { z } from "zod";
import { LOG_RETENTION_DAYS, isLogRetention } from "./log-retention";

/** Value shapes that the settings of several modules share. */

/** A CloudWatch Logs retention in days; only the values CloudWatch accepts, and never "forever". */
export const LogRetentionSchema = z
  .number()
  .refine(isLogRetention, { message: `must be one of the CloudWatch retention periods: ${LOG_RETENTION_DAYS.join(", ")}` });

const WEEKDAY = "(mon|tue|wed|thu|fri|sat|sun)";

/** A daily UTC window, `hh:mm-hh:mm`. */
export const DailyWindowSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a UTC window "hh:mm-hh:mm"' }).describe("A daily window, in UTC: `hh:mm-hh:mm`.");

/** A weekly UTC window, `ddd:hh:mm-ddd:hh:mm`. */
export const WeeklyWindowSchema = z
  .string()
  .regex(new RegExp(`^${WEEKDAY}:([01]\\d|2[0-3]):[0-5]\\d-${WEEKDAY}:([01]\\d|2[0-3]):[0-5]\\d$`), { message: 'must be a UTC window "ddd:hh:mm-ddd:hh:mm", e.g. "sun:04:30-sun:05:30"' })
  .describe("A weekly window, in UTC: `ddd:hh:mm-ddd:hh:mm`.");

/** What an SNS topic given by ARN must allow for CloudWatch alarms to reach it, which synth cannot see. */
export const ALARM_TOPIC_REQUIREMENTS = "Its policy must allow `sns:Publish` by `cloudwatch.amazonaws.com`, and, if encrypted, its KMS key must be a customer managed key whose policy lets CloudWatch use it (`alias/aws/sns` cannot): otherwise CloudWatch's notifications are refused, which no apply or plan shows.";

/** A KMS key ARN. */
export const KmsKeyArnSchema = z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/, { message: "must be a KMS key ARN, arn:aws:kms:<region>:<account>:key/<id>" });

const portMessage = { message: "is not a port number; ports are 1 to 65535" };
/** A TCP port, 1-65535. */
export const PortSchema = z.number().int(portMessage).min(1, portMessage).max(65535, portMessage);
