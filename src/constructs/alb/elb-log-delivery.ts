import { Construct } from "constructs";
import { partitionOf } from "../../lib/regions";
import { SecureBucket } from "../storage/secure-bucket";
import type { AccessLogsConfig } from "./settings";
import { PolicyStatement } from "../../lib/iam";

/**
 * The Elastic Load Balancing account of each region opened before August 2022, which
 * writes access logs there (AWS: "Enable access logs for your Application Load Balancer").
 * Regions opened since then take the `logdelivery.elasticloadbalancing.amazonaws.com`
 * service principal instead. Static, so synth needs no lookup.
 */
export const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-southeast-3": "589379963580",
  "ap-south-1": "718504428378",
  "ap-northeast-3": "383597477331",
  "ap-northeast-2": "600734575887",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-northeast-1": "582318560864",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-south-1": "635631232127",
  "eu-west-3": "009996457667",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
  "us-gov-west-1": "048591011584",
  "us-gov-east-1": "190560391635",
  "cn-north-1": "638102146993",
  "cn-northwest-1": "037604701340",
};

/**
 * The bucket policy statement that lets ELB in `region` write access logs under `prefix`: with
 * the account id known, under that account's `AWSLogs/<account>/` only, so that no other
 * account's load balancer can write into the bucket (AWS: "Enable access logs for your
 * Application Load Balancer", bucket policy).
 */
export function elbLogDeliveryStatement(region: string, bucketArn: string, prefix: string, accountId?: string): PolicyStatement {
  const account = ELB_LOG_ACCOUNTS[region];
  const principal: Record<string, string> = account
    ? { AWS: `arn:${partitionOf(region)}:iam::${account}:root` }
    : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" };
  const keyPrefix = prefix ? `${prefix}/` : "";
  return {
    Sid: "ElbAccessLogDelivery",
    Effect: "Allow",
    Principal: principal,
    Action: "s3:PutObject",
    Resource: `${bucketArn}/${keyPrefix}AWSLogs/${accountId ? `${accountId}/` : ""}*`,
  };
}

/**
 * The bucket policy statements that let a Network Load Balancer write access logs under
 * `prefix`: NLBs deliver through CloudWatch Logs' log delivery service, not the ELB account
 * (AWS: "Access logs for your Network Load Balancer", bucket requirements). With the
 * account id known, delivery is limited to that account's load balancers.
 */
export function nlbLogDeliveryStatements(region: string, bucketArn: string, prefix: string, accountId?: string): PolicyStatement[] {
  const keyPrefix = prefix ? `${prefix}/` : "";
  const partition = partitionOf(region);
  const source = accountId
    ? { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": `arn:${partition}:logs:${region}:${accountId}:*` } }
    : undefined;
  return [
    {
      Sid: "NlbAccessLogDelivery",
      Effect: "Allow",
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${bucketArn}/${keyPrefix}AWSLogs/${accountId ?? "*"}/*`,
      ...(source ? { Condition: source } : {}),
    },
    {
      Sid: "NlbAccessLogAclCheck",
      Effect: "Allow",
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: bucketArn,
      ...(source ? { Condition: source } : {}),
    },
  ];
}

/** Where a load balancer writes its access logs: a bucket created for them. */
export interface LoadBalancerAccessLogs {
  readonly bucketName: string;
  /** The key prefix (without a trailing slash) and the days to keep the logs: the `accessLogs` settings, parsed. */
  readonly settings: Pick<AccessLogsConfig, "prefix" | "expirationDays">;
  /** @default true */
  readonly preventDestroy?: boolean;
  /** The account whose load balancers deliver; its id in the delivery path. @default any account's */
  readonly accountId?: string;
}

/**
 * The access-log bucket of a load balancer: a {@link SecureBucket} (SSE-S3, which is what
 * ELB log delivery supports) with a lifecycle, and the delivery statement of its type.
 */
export function accessLogBucket(
  scope: Construct,
  type: "alb" | "nlb",
  props: LoadBalancerAccessLogs & { readonly region: string },
): SecureBucket {
  const bucket = new SecureBucket(scope, "access_logs", {
    bucketName: props.bucketName,
    lifecycle: { expirationDays: props.settings.expirationDays, noncurrentVersionExpirationDays: 7 },
    preventDestroy: props.preventDestroy,
  });
  const prefix = props.settings.prefix;
  const statements = type === "alb" ? [elbLogDeliveryStatement(props.region, bucket.arn, prefix, props.accountId)] : nlbLogDeliveryStatements(props.region, bucket.arn, prefix, props.accountId);
  for (const s of statements) bucket.addToResourcePolicy(s);
  return bucket;
}
