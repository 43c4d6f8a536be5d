import { z } from "zod";

/**
 * Secrets Manager secrets created empty (never a value in code), encrypted with the
 * storage stack's customer managed KMS key. Values are put afterwards, see docs/data.md.
 */
export const SecretsConfigSchema = z.strictObject({
  prefix: z.string().describe("Every secret name must start with this prefix, and prefix-scoped IAM grants cover exactly it, e.g. \"joblet/\"."),
  entries: z
    .record(z.string(), z.string())
    .refine((entries) => Object.keys(entries).length > 0, { message: "names no secret", params: { fix: 'give at least one, e.g. { "joblet/ca-cert": "Shared CA certificate" }, or remove secrets' } })
    .describe("The secrets: full name -> description, e.g. { \"joblet/ca-cert\": \"Shared CA certificate\" }."),
  recoveryWindowInDays: z.number().int().min(7).max(30).default(30).describe("Days a deleted secret stays recoverable, 7-30."),
});

export type SecretsConfig = z.infer<typeof SecretsConfigSchema>;
