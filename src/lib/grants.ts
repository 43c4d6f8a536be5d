import { PolicyStatement } from "./iam";

/**
 * Least-privilege IAM statements for common intents. Resources' `grant*` methods and
 * config-driven roles both build on these, so every grant reads the same way. Every
 * statement names its resources; the only `*` resource is `ecr:GetAuthorizationToken`,
 * which AWS does not scope.
 */

/** Pull images from the given ECR repositories. */
export function ecrPull(sid: string, repositoryArns: readonly string[]): PolicyStatement[] {
  return [
    { Sid: `${sid}Auth`, Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    {
      Sid: sid,
      Effect: "Allow",
      Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      Resource: [...repositoryArns],
    },
  ];
}

/** Read the given secrets (ARNs, or ARN patterns ending in `*` for a name prefix). */
export function secretsRead(sid: string, secretArns: readonly string[]): PolicyStatement[] {
  return [{ Sid: sid, Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [...secretArns] }];
}

/**
 * Put new values into the given secrets (ARNs or `*`-ending ARN patterns), e.g. for
 * instances that generate certificates on first boot. Does not allow creating or
 * deleting secrets: their containers are managed by Terraform.
 */
export function secretsPutValue(sid: string, secretArns: readonly string[]): PolicyStatement[] {
  return [
    {
      Sid: sid,
      Effect: "Allow",
      Action: ["secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage", "secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
      Resource: [...secretArns],
    },
  ];
}

/**
 * The ARN pattern of every secret whose name starts with `prefix`, in one region. Secret
 * ARNs end in a random 6-character suffix, which the trailing `*` covers.
 * @param accountId the account, or `*` when it is not known at synth
 */
export function secretPrefixArn(partition: string, region: string, accountId: string, prefix: string): string {
  return `arn:${partition}:secretsmanager:${region}:${accountId}:secret:${prefix}*`;
}

/** Encrypt with a KMS key (and decrypt), only through the given service; for writing secrets or objects. */
export function kmsEncryptVia(sid: string, keyArns: readonly string[], viaService: string): PolicyStatement[] {
  return [
    {
      Sid: sid,
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      Resource: [...keyArns],
      Condition: { StringEquals: { "kms:ViaService": viaService } },
    },
  ];
}

/** Decrypt with a KMS key, only when the call comes through the given service (e.g. `secretsmanager.us-east-1.amazonaws.com`). */
export function kmsDecryptVia(sid: string, keyArns: readonly string[], viaService: string): PolicyStatement[] {
  return [
    {
      Sid: sid,
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: [...keyArns],
      Condition: { StringEquals: { "kms:ViaService": viaService } },
    },
  ];
}

/** Write log events to the given CloudWatch log groups. */
export function logsWrite(sid: string, logGroupArns: readonly string[]): PolicyStatement[] {
  return [
    {
      Sid: sid,
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: logGroupArns.flatMap((arn) => [arn, `${arn}:*`]),
    },
  ];
}

/** Read (and optionally write) items of the given DynamoDB tables and their indexes. */
export function dynamodbAccess(sid: string, tableArns: readonly string[], write: boolean): PolicyStatement[] {
  const read = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem"];
  const writes = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"];
  return [
    {
      Sid: sid,
      Effect: "Allow",
      Action: write ? [...read, ...writes] : read,
      Resource: tableArns.flatMap((arn) => [arn, `${arn}/index/*`]),
    },
  ];
}

/** Read (and optionally write) objects of the given S3 buckets. */
export function s3Access(sid: string, bucketArns: readonly string[], write: boolean): PolicyStatement[] {
  return [
    { Sid: `${sid}List`, Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: [...bucketArns] },
    {
      Sid: sid,
      Effect: "Allow",
      Action: write ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"] : ["s3:GetObject"],
      Resource: bucketArns.map((arn) => `${arn}/*`),
    },
  ];
}

/**
 * Create and update the given secrets (ARNs, or patterns ending in `*` for a name prefix),
 * e.g. Joblet's first instance publishing the shared certificates under `joblet/*`.
 * Pair it with {@link secretsRead}.
 */
export function secretsWrite(sid: string, secretArns: readonly string[]): PolicyStatement[] {
  return [
    {
      Sid: sid,
      Effect: "Allow",
      Action: ["secretsmanager:CreateSecret", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecret", "secretsmanager:TagResource"],
      Resource: [...secretArns],
    },
  ];
}

/**
 * Publish custom metrics in one CloudWatch namespace (e.g. the CloudWatch agent's `CWAgent`).
 * PutMetricData has no resource to scope; the namespace condition is the scope.
 */
export function metricsPut(sid: string, namespace: string): PolicyStatement[] {
  return [
    {
      Sid: sid,
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": namespace } },
    },
  ];
}
