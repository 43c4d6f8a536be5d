import { z } from "zod";
import { KmsKeyArnSchema } from "./rds-config";

/** One ECR repository. */
export const RepositoryConfigSchema = z.strictObject({
  /** @default "<project>-<environment>/<key>" */
  repositoryName: z.string().optional(),
  /** @default "IMMUTABLE" */
  imageTagMutability: z.enum(["IMMUTABLE", "MUTABLE"]).default("IMMUTABLE"),
  /** `AES256` or `KMS`; changing it replaces the repository. @default "AES256" */
  encryption: z.enum(["AES256", "KMS"]).default("AES256"),
  /** With KMS: a customer managed key. @default the AWS managed key aws/ecr */
  kmsKeyArn: KmsKeyArnSchema.optional(),
  /** Scan every pushed image. @default true */
  scanOnPush: z.boolean().default(true),
  /** Images kept by the lifecycle policy. @default 30 */
  keepLastImages: z.number().int().min(1).max(10000).default(30),
});

/** ECR repositories, in the storage stack. */
export const RegistryConfigSchema = z.strictObject({
  /** Repositories by key, e.g. { "api": {} }. @default {} */
  repositories: z.record(z.string(), RepositoryConfigSchema).default({}),
});

export type RegistryConfig = z.infer<typeof RegistryConfigSchema>;
