import { z } from "zod";

/**
 * Secrets Manager secrets created empty (never a value in code), encrypted with the
 * storage stack's customer managed KMS key. Values are put afterwards, see docs/data.md.
 */
const WINDOW = "must be 0 (deleted at once) or 7-30 days";

export const SecretsConfigSchema = z.strictObject({
  prefix: z.string().describe("Every secret name must start with this prefix, and prefix-scoped IAM grants cover exactly it, e.g. \"joblet/\"."),
  entries: z
    .record(z.string(), z.string())
    .refine((entries) => Object.keys(entries).length > 0, { message: "names no secret", params: { fix: 'give at least one, e.g. { "joblet/ca-cert": "Shared CA certificate" }, or remove secrets' } })
    .describe("The secrets: full name -> description, e.g. { \"joblet/ca-cert\": \"Shared CA certificate\" }."),
  recoveryWindowInDays: z
    .union([z.literal(0), z.number().int().min(7, { message: WINDOW }).max(30, { message: WINDOW })], { message: WINDOW })
    .optional()
    .describe(
      "Days a deleted secret stays recoverable, 7-30, or 0 to delete it at once. Meanwhile no secret of its name can be created. Default: 30, or 0 where the system's `deletionProtection` is false (dev), so that a torn-down environment can be applied again at once.",
    ),
});

export type SecretsConfig = z.infer<typeof SecretsConfigSchema>;
