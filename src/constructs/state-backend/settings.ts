import { z } from "zod";
import { validateKmsKeyArn, validateTableName } from "../../lib/aws-values";
import { Problems, nested } from "../../lib/errors";
import { Naming } from "../../lib/naming";
import { validateBucketName } from "../../lib/s3-bucket-name";

/** The system's own state bucket and lock table: the state stack `<project>-<environment>-state`. */
export const StateBackendConfigSchema = z.strictObject({
  enabled: z.boolean().default(false).describe("Whether to build the state stack. Default: false (true in ODE's preset, whose document creates them)."),
  bucketName: z.string().optional().describe("The state bucket's name (globally unique). Default: \"<project>-<environment>-terraform-state\", ending in \"-<accountId>\" once `accountId` is set."),
  lockTableName: z.string().optional().describe("The lock table's name. Default: \"<project>-<environment>-terraform-locks\"."),
  kmsKeyArn: z.string().optional().describe("A KMS key ARN for SSE-KMS on the bucket and the table. Default: SSE-S3 on the bucket, the AWS managed key on the table."),
  noncurrentVersionExpirationDays: z.number().int().min(1).default(90).describe("Days an overwritten state version is kept before it expires."),
  abortIncompleteUploadDays: z.number().int().min(1).default(7).describe("Days after which incomplete multipart uploads are aborted."),
});

export type StateBackendConfig = z.infer<typeof StateBackendConfigSchema>;

/** The names of the system's state bucket and lock table, defaults filled in and checked. */
export function stateBackendNames(config: { readonly project: string; readonly environment: string; readonly accountId?: string; readonly stateBackend: StateBackendConfig }): {
  bucketName: string;
  lockTableName: string;
} {
  const problems = new Problems();
  const naming = new Naming(config.project, config.environment, config.accountId);
  const state = config.stateBackend;
  const bucketName = problems.value(() => state.bucketName ?? naming.name("s3Bucket", "terraform-state"));
  const lockTableName = problems.value(() => state.lockTableName ?? naming.name("dynamodbTable", "terraform-locks"));
  problems.check(() =>
    nested("stateBackend", () => {
      const names = new Problems();
      if (bucketName !== undefined) names.check(() => validateBucketName(bucketName, "bucketName"));
      if (lockTableName !== undefined) names.check(() => validateTableName(lockTableName, "lockTableName"));
      if (state.kmsKeyArn !== undefined) names.check(() => validateKmsKeyArn(state.kmsKeyArn!, "kmsKeyArn"));
      names.throwIfAny();
    }),
  );
  problems.throwIfAny();
  return { bucketName: bucketName!, lockTableName: lockTableName! };
}
