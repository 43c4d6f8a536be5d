import { LocalBackend, S3Backend, TerraformBackend, TerraformStack } from "cdktf";
import { LOCKFILE_MIN_TERRAFORM, ResolvedBackend } from "../config/backend-config";

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
 *   property), or both; `use_lockfile` also pins `terraform.required_version` to
 *   >= 1.10, the first release that understands it, so an older CLI stops with a clear
 *   message instead of an unknown-argument error.
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
  if (backend.locking !== "dynamodb") {
    s3.addOverride("use_lockfile", true);
    stack.addOverride("terraform.required_version", `>= ${LOCKFILE_MIN_TERRAFORM}`);
  }
  return s3;
}
