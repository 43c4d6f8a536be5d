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
 * instances that generate certificates on first boot, and read them back. With `create`,
 * also create, update and tag secrets there (Joblet's documented policy on `joblet/*`).
 * Pair it with {@link kmsWriteVia} for the key that encrypts them.
 */
export function secretsWrite(sid: string, secretArns: readonly string[], create = false): PolicyStatement[] {
  const actions = create
    ? ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:CreateSecret", "secretsmanager:UpdateSecret", "secretsmanager:PutSecretValue", "secretsmanager:TagResource"]
    : ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"];
  return [{ Sid: sid, Effect: "Allow", Action: actions, Resource: [...secretArns] }];
}

/**
 * The ARN pattern of every secret whose name starts with `prefix`, in one region. Secret
 * ARNs end in a random 6-character suffix, which the trailing `*` covers.
 * @param accountId the account, or `*` when it is not known at synth
 */
export function secretPrefixArn(partition: string, region: string, accountId: string, prefix: string): string {
  return `arn:${partition}:secretsmanager:${region}:${accountId}:secret:${prefix}*`;
}

/**
 * Generate data keys with a KMS key (and decrypt), only through the given service: what a
 * principal needs to write a secret (`secretsmanager.<region>.amazonaws.com`) or an
 * object (`s3.<region>.amazonaws.com`) encrypted with a customer managed key. The service
 * encrypts with the data key; the principal never calls `kms:Encrypt` itself.
 */
export function kmsWriteVia(sid: string, keyArns: readonly string[], viaService: string): PolicyStatement[] {
  return [
    {
      Sid: sid,
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
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
      Action: "kms:Decrypt",
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

/**
 * Create, write and read the log groups the software makes itself (a `/*` prefix ARN covers
 * the groups under it and their streams), and set their retention.
 */
export function logsCreateAndWrite(sid: string, logGroupArns: readonly string[]): PolicyStatement[] {
  return [
    {
      Sid: sid,
      Effect: "Allow",
      Action: ["logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents", "logs:DeleteLogStream"],
      Resource: logGroupArns.flatMap((arn) => (arn.endsWith("/*") ? [arn] : [arn, `${arn}:*`])),
    },
  ];
}

/**
 * Read (and optionally write) items of the given DynamoDB tables, and query their indexes.
 * Item actions apply to tables only; an index takes only Query and Scan.
 */
export function dynamodbAccess(sid: string, tableArns: readonly string[], write: boolean): PolicyStatement[] {
  const read = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:DescribeTable", "dynamodb:DescribeTimeToLive", "dynamodb:ConditionCheckItem"];
  const writes = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"];
  return [
    { Sid: sid, Effect: "Allow", Action: write ? [...read, ...writes] : read, Resource: [...tableArns] },
    { Sid: `${sid}Indexes`, Effect: "Allow", Action: ["dynamodb:Query", "dynamodb:Scan"], Resource: tableArns.map((arn) => `${arn}/index/*`) },
  ];
}

/**
 * Send messages to the given SQS queues, and with `consume` also receive, delete and hide them.
 * ListQueues (which has no resource to scope) too: Celery's SQS transport lists the queues when
 * it connects (kombu's Channel._update_queue_cache).
 */
export function sqsAccess(sid: string, queueArns: readonly string[], consume: boolean): PolicyStatement[] {
  const send = ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"];
  const receive = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"];
  return [
    { Sid: sid, Effect: "Allow", Action: consume ? [...send, ...receive] : send, Resource: [...queueArns] },
    { Sid: `${sid}List`, Effect: "Allow", Action: "sqs:ListQueues", Resource: "*" },
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
 * Publish custom metrics in CloudWatch namespaces (e.g. the CloudWatch agent's `CWAgent`).
 * PutMetricData has no resource to scope; the namespace condition is the scope.
 */
export function metricsPut(sid: string, namespaces: string | readonly string[]): PolicyStatement[] {
  return [
    {
      Sid: sid,
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": oneOrMany([namespaces].flat()) } },
    },
  ];
}

/** Read metrics' statistics back. CloudWatch has no resource or namespace to scope the read to. */
export function metricsRead(sid: string): PolicyStatement[] {
  return [{ Sid: sid, Effect: "Allow", Action: "cloudwatch:GetMetricStatistics", Resource: "*" }];
}

/**
 * The key policy statement letting CloudWatch Logs in `region` encrypt and decrypt the data of
 * the given log groups with the key, and nothing else (the encryption context names the group).
 */
export function logGroupsEncryptWithKey(sid: string, region: string, groupArns: string | readonly string[]): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: `logs.${region}.amazonaws.com` },
    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    Resource: "*",
    Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": typeof groupArns === "string" ? groupArns : [...groupArns] } },
  };
}

/** A condition's values: the one value alone, as IAM policies usually write it, else the list. */
function oneOrMany(values: readonly string[]): string | readonly string[] {
  return values.length === 1 ? values[0] : values;
}
