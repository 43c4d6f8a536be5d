import { Construct } from "constructs";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { partitionOf } from "../../lib/regions";
import { accountIdOf } from "../../lib/arn";
import { logGroupsEncryptWithKey, logsWrite } from "../../lib/grants";
import { assumeRolePolicy, policyDocument, PolicyStatement } from "../../lib/iam";
import { LogRetentionDays } from "../../lib/log-retention";
import { Naming } from "../../lib/naming";
import { EncryptionKey } from "../kms/encryption-key";
import { SecureBucket } from "../storage/secure-bucket";
import { AuditConfig, trailBucketNameOf } from "./settings";

/** A trail's settings, parsed by the audit schema (./settings.ts), which declares each default once. */
export type AuditTrailSettings = Pick<AuditConfig, "trail" | "keyDeletionWindowInDays">;

export interface AuditTrailProps {
  readonly naming: Naming;
  readonly region: string;
  /** The account, when known. @default read from the ARN of the trail's log-delivery role, at apply */
  readonly accountId?: string;
  /** The bucket, log retention and lifecycle (`trail`), and the key's deletion window. */
  readonly settings: AuditTrailSettings;
}

/**
 * A multi-region CloudTrail trail of every management event (read and write, so every
 * `GetSecretValue` is recorded), with log file validation, log files encrypted with a
 * customer managed KMS key, delivered to a {@link SecureBucket} (private, TLS-only,
 * versioned, `prevent_destroy`, lifecycle to Glacier and expiry) that only this trail may
 * write to, and to a CloudWatch log group (encrypted, finite retention) for metric filters.
 *
 * The KMS key also encrypts the alarm topic; its policy lets CloudTrail, CloudWatch Logs,
 * CloudWatch alarms and EventBridge use it for this account only.
 */
export class AuditTrail extends Construct {
  public readonly trail: Cloudtrail;
  public readonly bucket: SecureBucket;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly key: EncryptionKey;
  public readonly logsRole: IamRole;
  /** The account id: the configured one, or a Terraform expression reading it from an ARN. */
  public readonly accountId: string;
  public readonly trailName: string;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const { naming, region } = props;
    const partition = partitionOf(region);
    // The retention, the Glacier transition and the expiry after it are checked by the schema (./settings.ts).
    const { logRetentionInDays: retention, transitionToGlacierDays: glacierDays, expirationDays } = props.settings.trail;

    this.trailName = naming.name("cloudtrail", "trail");
    const logGroupName = `/aws/cloudtrail/${naming.prefix}`;

    // Created first: its ARN tells the account, without a data source that would need credentials at plan.
    this.logsRole = this.addLogsRole(naming, logGroupName);
    const account = props.accountId ?? accountIdOf(this.logsRole.arn);
    this.accountId = account;
    const trailArn = `arn:${partition}:cloudtrail:${region}:${account}:trail/${this.trailName}`;
    const target: TrailTarget = { partition, region, account, trailArn, logGroupName };

    this.key = this.addKey(props, target);
    this.logGroup = this.addLogGroup(logGroupName, retention);
    const rolePolicy = this.addLogsPolicy();
    this.bucket = this.addBucket(props, target, glacierDays, expirationDays);
    this.trail = this.addTrail(rolePolicy);
  }

  private addLogsRole(naming: Naming, logGroupName: string): IamRole {
    return new IamRole(this, "logs_role", {
      name: naming.name("iamRole", "cloudtrail-logs"),
      description: `Lets CloudTrail write ${this.trailName} to ${logGroupName}`,
      assumeRolePolicy: assumeRolePolicy("cloudtrail.amazonaws.com"),
    });
  }

  private addKey(props: AuditTrailProps, target: TrailTarget): EncryptionKey {
    const { naming } = props;
    return new EncryptionKey(this, "key", {
      alias: `${naming.prefix}-audit`,
      description: `${naming.prefix}: CloudTrail log files, the trail's log group and the alarm topic`,
      deletionWindowInDays: props.settings.keyDeletionWindowInDays,
      servicePolicy: { accountId: target.account, partition: target.partition, statements: keyStatements(target) },
    });
  }

  private addLogGroup(logGroupName: string, retention: LogRetentionDays): CloudwatchLogGroup {
    return new CloudwatchLogGroup(this, "log_group", {
      name: logGroupName,
      retentionInDays: retention,
      kmsKeyId: this.key.arn,
      dependsOn: [this.key.key],
    });
  }

  private addLogsPolicy(): IamRolePolicy {
    return new IamRolePolicy(this, "logs_policy", {
      name: "write-trail-log-group",
      role: this.logsRole.id,
      policy: policyDocument(...logsWrite("WriteTrailLogGroup", [this.logGroup.arn])),
    });
  }

  private addBucket(props: AuditTrailProps, target: TrailTarget, glacierDays: number, expirationDays: number): SecureBucket {
    const { trailArn, account } = target;
    // Audit logs are always protected, in every environment.
    const bucket = new SecureBucket(this, "bucket", {
      bucketName: trailBucketNameOf(props.naming, props.settings.trail),
      lifecycle: {
        transitions: [{ days: glacierDays, storageClass: "GLACIER_IR" }],
        expirationDays,
        noncurrentVersionExpirationDays: 30,
      },
      preventDestroy: true,
    });
    bucket.addToResourcePolicy({
      Sid: "CloudTrailChecksAcl",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: bucket.arn,
      Condition: { StringEquals: { "aws:SourceArn": trailArn } },
    });
    bucket.addToResourcePolicy({
      Sid: "CloudTrailWritesLogFiles",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${bucket.arn}/AWSLogs/${account}/*`,
      Condition: { StringEquals: { "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control" } },
    });
    return bucket;
  }

  private addTrail(rolePolicy: IamRolePolicy): Cloudtrail {
    return new Cloudtrail(this, "trail", {
      name: this.trailName,
      s3BucketName: this.bucket.name,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: this.key.arn,
      cloudWatchLogsGroupArn: `${this.logGroup.arn}:*`,
      cloudWatchLogsRoleArn: this.logsRole.arn,
      eventSelector: [{ readWriteType: "All", includeManagementEvents: true }],
      // CloudTrail checks the bucket policy, the key policy and the role when the trail is created.
      dependsOn: [this.bucket.policy, this.key.key, rolePolicy],
    });
  }
}

/** Where the trail lives and writes: the facts its key and bucket policies name. */
interface TrailTarget {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly trailArn: string;
  readonly logGroupName: string;
}

/** The key policy: CloudTrail, CloudWatch Logs, CloudWatch alarms and EventBridge, for this account only. */
function keyStatements(target: TrailTarget): PolicyStatement[] {
  const { partition, region, account, trailArn, logGroupName } = target;
  const anyTrailOfAccount = `arn:${partition}:cloudtrail:*:${account}:trail/*`;
  return [
    {
      Sid: "CloudTrailEncryptsLogFiles",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceArn": trailArn },
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": anyTrailOfAccount },
      },
    },
    {
      Sid: "CloudTrailDescribesKey",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:DescribeKey",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": trailArn } },
    },
    {
      Sid: "AccountReadsLogFiles",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["kms:Decrypt", "kms:ReEncryptFrom"],
      Resource: "*",
      Condition: {
        StringEquals: { "kms:CallerAccount": account },
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": anyTrailOfAccount },
      },
    },
    logGroupsEncryptWithKey("CloudWatchLogsEncryptsTheTrailLogGroup", region, `arn:${partition}:logs:${region}:${account}:log-group:${logGroupName}`),
    {
      Sid: "AlarmsPublishToTheEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": account } },
    },
    // EventBridge sends KMS no aws:SourceAccount or aws:SourceArn for an encrypted topic (the SNS
    // docs: those keys are "not supported for EventBridge-to-encrypted topics"), so a condition on
    // them drops every event. The data key is bound to the topic: this account's topics here only.
    // The topic policy names the rules that may publish.
    {
      Sid: "EventRulesPublishToTheEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { ArnLike: { "kms:EncryptionContext:aws:sns:topicArn": `arn:${partition}:sns:${region}:${account}:*` } },
    },
  ];
}
