import { LocalBackend, S3Backend, TerraformBackend, TerraformStack } from "cdktf";
import { LOCKFILE_MIN_TERRAFORM, ResolvedBackend } from "../config/backend-config";

/**
 * The first Terraform release with write-only arguments (`secret_string_wo`): secrets the
 * stacks generate are written through them, so that no state holds them. Terraform 1.10
 * refuses such a configuration at validate and plan, after `init` accepted it.
 */
export const WRITE_ONLY_MIN_TERRAFORM = "1.11.0";

/**
 * The Terraform releases every stack accepts (`terraform.required_version`): from the first
 * with write-only arguments (which also understands S3-native locking, the default, from
 * {@link LOCKFILE_MIN_TERRAFORM}) up to the next major. An older or newer CLI stops at `init`
 * with a clear version error. Tested with Terraform 1.11.
 */
export const TERRAFORM_VERSION = `>= ${WRITE_ONLY_MIN_TERRAFORM}, < 2.0.0`;

/** Where a stack keeps its state: a resolved backend and, for S3, the stack's key. */
export type StackBackend = { readonly type: "local" } | (Extract<ResolvedBackend, { type: "s3" }> & { readonly key: string });

/**
 * Where a stack's local state file lives, relative to the directory terraform runs in
 * (`cdktf.out/stacks/<stack>`): beside the project, outside `cdktf.out` (which synth may
 * rewrite), at a path that does not depend on the machine.
 */
export function localStatePath(stackName: string): string {
  return `../../../terraform.${stackName}.tfstate`;
}

/**
 * Gives `stack` its backend.
 *
 * - `local`: `terraform.<stack>.tfstate` at the project root.
 * - `s3`: the bucket and key, `encrypt`, the region, and locking: `dynamodb_table`,
 *   `use_lockfile` (written with an override, since cdktf 0.21's S3Backend has no such
 *   property), or both. Every stack requires a Terraform that understands `use_lockfile`
 *   (see {@link TERRAFORM_VERSION}).
 *
 * Stacks of the same app that read this stack's outputs get a `terraform_remote_state`
 * with the same settings (cdktf derives it from the backend).
 */
export function applyBackend(stack: TerraformStack, backend: StackBackend): TerraformBackend {
  if (backend.type === "local") {
    return new LocalBackend(stack, { path: localStatePath(stack.node.id) });
  }
  const s3 = new S3Backend(stack, {
    bucket: backend.bucket,
    key: backend.key,
    region: backend.region,
    encrypt: true,
    kmsKeyId: backend.kmsKeyId,
    dynamodbTable: backend.locking === "lockfile" ? undefined : backend.dynamodbTable,
    profile: backend.profile,
    assumeRole: backend.roleArn ? { roleArn: backend.roleArn } : undefined,
  });
  if (backend.locking !== "dynamodb") s3.addOverride("use_lockfile", true);
  return s3;
}
