import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import {
  S3BucketLifecycleConfiguration,
  S3BucketLifecycleConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { policyDocument, PolicyStatement } from "../../lib/iam";
import { kmsDecryptVia, kmsWriteVia, s3Access } from "../../lib/grants";
import { validateBucketName } from "../../lib/s3-bucket-name";
import { IGrantable } from "../iam/service-role";

/** Moves objects to a cheaper storage class after some days. */
export interface StorageTransition {
  readonly days: number;
  /** e.g. `STANDARD_IA`, `INTELLIGENT_TIERING`, `GLACIER_IR`, `GLACIER`, `DEEP_ARCHIVE`. */
  readonly storageClass: string;
}

/** What happens to objects as they age. Every field is optional. */
export interface BucketLifecycle {
  /** Transitions of current objects. @default none */
  readonly transitions?: readonly StorageTransition[];
  /** Days after which current objects expire. @default never */
  readonly expirationDays?: number;
  /** Transitions of noncurrent versions. @default none */
  readonly noncurrentTransitions?: readonly StorageTransition[];
  /** Days after which noncurrent versions are deleted. @default never */
  readonly noncurrentVersionExpirationDays?: number;
  /** Days after which incomplete multipart uploads are aborted. @default 7 */
  readonly abortIncompleteUploadDays?: number;
}

export interface SecureBucketProps {
  /** The globally unique bucket name; checked against S3's naming rules. */
  readonly bucketName: string;
  /** A KMS key ARN for SSE-KMS (with an S3 bucket key). @default SSE-S3 (AES256) */
  readonly kmsKeyArn?: string;
  /** The bucket's region: with `kmsKeyArn`, grants use the key only through S3 there (`kms:ViaService`). @default none; grants on an SSE-KMS bucket need it */
  readonly region?: string;
  /** Whether to keep object versions. @default true */
  readonly versioning?: boolean;
  /** Lifecycle rules. @default only aborting incomplete uploads after 7 days */
  readonly lifecycle?: BucketLifecycle;
  /** Server access logging to another bucket. @default off */
  readonly accessLogs?: { readonly targetBucket: string; readonly prefix?: string };
  /** Terraform `prevent_destroy`: refuse any plan that destroys the bucket. @default true */
  readonly preventDestroy?: boolean;
}

/**
 * An S3 bucket that is private and encrypted by construction: all four public access
 * block flags, `BucketOwnerEnforced` (no ACLs), SSE-S3 or SSE-KMS, versioning, a policy
 * that denies any request without TLS, lifecycle rules that at least abort incomplete
 * uploads, `force_destroy` off and `prevent_destroy` on.
 *
 * Other constructs add to the bucket policy with {@link addToResourcePolicy} (e.g. the
 * ELB or CloudTrail log delivery statements), and grant access with `grantRead`/`grantReadWrite`.
 */
export class SecureBucket extends Construct {
  public readonly bucket: S3Bucket;
  public readonly policy: S3BucketPolicy;
  private readonly statements: PolicyStatement[];
  private readonly kms?: { readonly keyArn: string; readonly region?: string };
  /** The bucket's name as configured (a plain string, not a reference). */
  public readonly bucketName: string;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucketName = props.bucketName;
    this.kms = props.kmsKeyArn ? { keyArn: props.kmsKeyArn, region: props.region } : undefined;
    validateBucketName(props.bucketName);
    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: false,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });

    const publicAccessBlock = this.blockPublicAccess();
    this.addEncryption(props.kmsKeyArn);
    this.addVersioning(props.versioning ?? true);
    this.addLifecycle(props.lifecycle ?? {});
    if (props.accessLogs) this.addAccessLogging(props.accessLogs.targetBucket, props.accessLogs.prefix ?? `${props.bucketName}/`);

    this.statements = [this.denyInsecureTransport()];
    this.policy = this.addPolicy(publicAccessBlock);
  }

  /** All four public access block flags, and `BucketOwnerEnforced` (no ACLs). */
  private blockPublicAccess(): S3BucketPublicAccessBlock {
    const bucket = this.bucket.id;
    const publicAccessBlock = new S3BucketPublicAccessBlock(this, "public_access_block", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    return publicAccessBlock;
  }

  /** Default encryption: SSE-KMS with an S3 bucket key when a key is given, else SSE-S3 (AES256). */
  private addEncryption(kmsKeyArn: string | undefined): void {
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [
        kmsKeyArn
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });
  }

  private addVersioning(enabled: boolean): void {
    new S3BucketVersioningA(this, "versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: enabled ? "Enabled" : "Suspended" },
    });
  }

  private addLifecycle(lifecycle: BucketLifecycle): void {
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: lifecycleRules(lifecycle),
    });
  }

  /** Server access logging to another bucket. */
  private addAccessLogging(targetBucket: string, targetPrefix: string): void {
    new S3BucketLoggingA(this, "logging", {
      bucket: this.bucket.id,
      targetBucket,
      targetPrefix,
    });
  }

  /** The statement every bucket policy starts with: deny any request without TLS. */
  private denyInsecureTransport(): PolicyStatement {
    return {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
  }

  /** The bucket policy, rendered from the statements at synth (so {@link addToResourcePolicy} can add to it). */
  private addPolicy(publicAccessBlock: S3BucketPublicAccessBlock): S3BucketPolicy {
    return new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: Lazy.stringValue({ produce: () => policyDocument(...this.statements) }),
      // AWS rejects some policies while the public access block is being applied.
      dependsOn: [publicAccessBlock],
    });
  }

  /** The bucket's name. */
  public get name(): string {
    return this.bucket.bucket;
  }

  /** The bucket's ARN. */
  public get arn(): string {
    return this.bucket.arn;
  }

  /** Adds a statement to the bucket policy, e.g. to let a log delivery service write. */
  public addToResourcePolicy(statement: PolicyStatement): void {
    if (statement.Sid && this.statements.some((s) => s.Sid === statement.Sid)) {
      throw new Error(`${this.node.path}: the bucket policy already has a statement "${statement.Sid}"`);
    }
    this.statements.push(statement);
  }

  /** Lets `grantee` read objects (and decrypt them through S3, for an SSE-KMS bucket). */
  public grantRead(grantee: IGrantable, sid = `Read${pascal(this.node.id)}`): void {
    grantee.addToPolicy(...s3Access(sid, [this.arn], false));
    if (this.kms) grantee.addToPolicy(...kmsDecryptVia(`${sid}Key`, [this.kms.keyArn], this.viaS3()));
  }

  /** Lets `grantee` read and write objects (and use the bucket's key through S3, for an SSE-KMS bucket). */
  public grantReadWrite(grantee: IGrantable, sid = `ReadWrite${pascal(this.node.id)}`): void {
    grantee.addToPolicy(...s3Access(sid, [this.arn], true));
    if (this.kms) grantee.addToPolicy(...kmsWriteVia(`${sid}Key`, [this.kms.keyArn], this.viaS3()));
  }

  private viaS3(): string {
    if (!this.kms?.region) {
      throw new Error(`${this.node.path}: grants on an SSE-KMS bucket scope the key to S3 in the bucket's region; give the bucket its region`);
    }
    return `s3.${this.kms.region}.amazonaws.com`;
  }
}

function lifecycleRules(lifecycle: BucketLifecycle): S3BucketLifecycleConfigurationRule[] {
  const rules: S3BucketLifecycleConfigurationRule[] = [
    {
      id: "abort-incomplete-uploads",
      status: "Enabled",
      filter: [{}],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: lifecycle.abortIncompleteUploadDays ?? 7 }],
    },
  ];
  if (lifecycle.transitions?.length || lifecycle.expirationDays !== undefined) {
    rules.push({
      id: "current-versions",
      status: "Enabled",
      filter: [{}],
      transition: lifecycle.transitions?.length ? lifecycle.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })) : undefined,
      expiration: lifecycle.expirationDays !== undefined ? [{ days: lifecycle.expirationDays }] : undefined,
    });
  }
  if (lifecycle.noncurrentTransitions?.length || lifecycle.noncurrentVersionExpirationDays !== undefined) {
    rules.push({
      id: "noncurrent-versions",
      status: "Enabled",
      filter: [{}],
      noncurrentVersionTransition: lifecycle.noncurrentTransitions?.length
        ? lifecycle.noncurrentTransitions.map((t) => ({ noncurrentDays: t.days, storageClass: t.storageClass }))
        : undefined,
      noncurrentVersionExpiration:
        lifecycle.noncurrentVersionExpirationDays !== undefined ? [{ noncurrentDays: lifecycle.noncurrentVersionExpirationDays }] : undefined,
    });
  }
  return rules;
}

function pascal(id: string): string {
  return id.replace(/(^|[_-])([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}
