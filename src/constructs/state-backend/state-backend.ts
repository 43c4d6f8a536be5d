import { Construct } from "constructs";
import { DynamoTable } from "../storage/dynamodb-table";
import { SecureBucket } from "../storage/secure-bucket";
import type { StateBackendConfig } from "./settings";

/** The state backend's settings, parsed by its schema (./settings.ts), which declares each default once; the names are given apart. */
export type StateBackendSettings = Pick<StateBackendConfig, "kmsKeyArn" | "noncurrentVersionExpirationDays" | "abortIncompleteUploadDays">;

export interface StateBackendProps {
  /** The state bucket's name (globally unique). */
  readonly bucketName: string;
  /** The lock table's name. */
  readonly lockTableName: string;
  /** A KMS key for the bucket (SSE-KMS with a bucket key) and the table, the old state versions' expiry, aborting incomplete uploads. */
  readonly settings: StateBackendSettings;
}

/**
 * Where Terraform keeps state: an S3 bucket and a DynamoDB lock table, both impossible to
 * lose by accident.
 *
 * - The bucket ({@link SecureBucket}) is versioned, so every state ever written can be
 *   restored, encrypted, private (all four public access block flags, `BucketOwnerEnforced`),
 *   reachable only over TLS, and `prevent_destroy`; old versions expire after
 *   `noncurrentVersionExpirationDays`, incomplete uploads are aborted.
 * - The table ({@link DynamoTable}) has the `LockID` string key the S3 backend uses,
 *   on-demand billing, point-in-time recovery, encryption, deletion protection and
 *   `prevent_destroy`.
 *
 * Protection does not follow the environment's `deletionProtection`: losing the state
 * of a dev environment still orphans everything in it.
 */
export class StateBackend extends Construct {
  public readonly bucket: SecureBucket;
  public readonly lockTable: DynamoTable;

  constructor(scope: Construct, id: string, props: StateBackendProps) {
    super(scope, id);
    const { kmsKeyArn, noncurrentVersionExpirationDays, abortIncompleteUploadDays } = props.settings;
    this.bucket = new SecureBucket(this, "bucket", {
      bucketName: props.bucketName,
      kmsKeyArn,
      versioning: true,
      preventDestroy: true,
      lifecycle: {
        noncurrentVersionExpirationDays,
        abortIncompleteUploadDays,
      },
    });
    this.lockTable = new DynamoTable(this, "locks", {
      tableName: props.lockTableName,
      settings: { partitionKey: { name: "LockID", type: "S" }, globalSecondaryIndexes: {} },
      kmsKeyArn,
      deletionProtection: true,
      preventDestroy: true,
    });
  }
}
