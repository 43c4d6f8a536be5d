import { z } from "zod";
import { KmsKeyArnSchema } from "../../lib/setting-schemas";
import { Naming } from "../../lib/naming";

/** One ECR repository. */
export const RepositoryConfigSchema = z
  .strictObject({
    repositoryName: z.string().optional().describe("Default: \"<project>-<environment>/<key>\"."),
    imageTagMutability: z.enum(["IMMUTABLE", "MUTABLE"]).default("IMMUTABLE"),
    encryption: z.enum(["AES256", "KMS"]).default("AES256").describe("`AES256` or `KMS`; changing it replaces the repository."),
    kmsKeyArn: KmsKeyArnSchema.optional().describe("With KMS: a customer managed key. Default: the AWS managed key aws/ecr."),
    scanOnPush: z.boolean().default(true).describe("Scan every pushed image."),
    keepLastImages: z.number().int().min(1).max(10000).default(30).describe("Images kept by the lifecycle policy."),
  })
  .refine((r) => !(r.encryption === "AES256" && r.kmsKeyArn), {
    path: ["kmsKeyArn"],
    message: 'is only used with encryption "KMS"',
    params: { fix: 'set encryption to "KMS", or remove kmsKeyArn' },
  });

/** ECR repositories, in the storage stack. */
export const RegistryConfigSchema = z.strictObject({
  repositories: z.record(z.string(), RepositoryConfigSchema).default({}).describe("Repositories by key, e.g. { \"api\": {} }."),
});

export type RegistryConfig = z.infer<typeof RegistryConfigSchema>;
export type RepositoryConfig = z.infer<typeof RepositoryConfigSchema>;
export type RepositoryConfigInput = z.input<typeof RepositoryConfigSchema>;

/** A repository's name: `repositoryName` as set, else `<project>-<environment>/<key>` (a default derived from the naming). */
export function repositoryNameOf(naming: Naming, key: string, repository: Pick<RepositoryConfig, "repositoryName">): string {
  return repository.repositoryName ?? `${naming.prefix}/${key}`;
}
