import { TerraformStack, Token } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ConfigError } from "../lib/errors";
import { NamePlace, NameScope, sameNamespace, uniqueWithin } from "../lib/name-scope";
import { AwsStack } from "./aws-stack";
import { argumentOf, resourcesByAddress } from "./resource-addresses";

/** The resource types whose names AWS holds unique: the argument that names each, and how far. */
const NAMED: Readonly<Record<string, { readonly argument: string; readonly scope: NameScope }>> = {
  aws_s3_bucket: { argument: "bucket", scope: "global" },
  aws_iam_role: { argument: "name", scope: "account" },
  aws_iam_policy: { argument: "name", scope: "account" },
  aws_iam_instance_profile: { argument: "name", scope: "account" },
  aws_cloudfront_origin_access_control: { argument: "name", scope: "account" },
  aws_autoscaling_group: { argument: "name", scope: "account-region" },
  aws_cloudtrail: { argument: "name", scope: "account-region" },
  aws_cloudwatch_log_group: { argument: "name", scope: "account-region" },
  aws_cloudwatch_metric_alarm: { argument: "alarm_name", scope: "account-region" },
  aws_db_instance: { argument: "identifier", scope: "account-region" },
  aws_db_parameter_group: { argument: "name", scope: "account-region" },
  aws_db_subnet_group: { argument: "name", scope: "account-region" },
  aws_dynamodb_table: { argument: "name", scope: "account-region" },
  aws_ecr_repository: { argument: "name", scope: "account-region" },
  aws_eks_cluster: { argument: "name", scope: "account-region" },
  aws_elasticache_parameter_group: { argument: "name", scope: "account-region" },
  aws_elasticache_replication_group: { argument: "replication_group_id", scope: "account-region" },
  aws_elasticache_subnet_group: { argument: "name", scope: "account-region" },
  aws_elasticache_user: { argument: "user_id", scope: "account-region" },
  aws_elasticache_user_group: { argument: "user_group_id", scope: "account-region" },
  aws_kms_alias: { argument: "name", scope: "account-region" },
  aws_launch_template: { argument: "name", scope: "account-region" },
  aws_lb: { argument: "name", scope: "account-region" },
  aws_lb_target_group: { argument: "name", scope: "account-region" },
  aws_secretsmanager_secret: { argument: "name", scope: "account-region" },
  aws_sns_topic: { argument: "name", scope: "account-region" },
  aws_sqs_queue: { argument: "name", scope: "account-region" },
  aws_ssm_parameter: { argument: "name", scope: "account-region" },
};

/** A resource that takes a name AWS holds unique. */
interface NamedResource extends NamePlace {
  readonly stack: string;
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly scope: NameScope;
}

/**
 * The problems of two resources of `stacks` (every system and environment of one synth) that would take
 * one name where AWS holds names unique, whatever gave them the name: a setting, a key a name
 * is derived from (a storage bucket keyed `static-assets` and the CDN's static-assets bucket),
 * or an adopted value. Two resources of one name fail at apply, or, for an S3 bucket created
 * again in us-east-1 by its owner, pass and then fight over one bucket. Names AWS generates or
 * Terraform computes (tokens) are not compared; config validation reports the names settings
 * give (src/config/unique-names.ts), keyed by setting, before this runs.
 */
export function resourceNameProblems(stacks: readonly TerraformStack[]): ConfigError[] {
  const errors: ConfigError[] = [];
  const seen: NamedResource[] = [];
  for (const resource of stacks.flatMap(namedResources)) {
    const clash = seen.find((s) => s.type === resource.type && s.name === resource.name && sameNamespace(resource.scope, s, resource));
    if (clash) errors.push(clashError(resource, clash));
    else seen.push(resource);
  }
  return errors;
}

/**
 * Without `accountId` (dev needs none), the S3 bucket names of `stacks` do not end in an account
 * id, and bucket names are global: the first apply fails where another account already holds
 * one. A warning listing them, or none.
 */
export function bucketNameWarnings(accountId: string | undefined, stacks: readonly TerraformStack[]): string[] {
  const names = accountId === undefined ? globalNames(stacks) : [];
  if (names.length === 0) return [];
  const [name, does] = names.length === 1 ? ["name", "does"] : ["names", "do"];
  return [
    `accountId is not set, so the S3 bucket ${name} ${names.join(", ")} ${does} not end in an account id; bucket names are global across AWS, and the apply fails ` +
      "(BucketAlreadyExists) where another account already holds one. Set accountId before the first apply: the names the project derives then end in it (names you set stay as set).",
  ];
}

/** The literal names of `stacks` that AWS holds unique across all of AWS (S3 buckets), sorted. */
function globalNames(stacks: readonly TerraformStack[]): string[] {
  return stacks
    .flatMap(namedResources)
    .filter((r) => r.scope === "global")
    .map((r) => r.name)
    .sort();
}

/** The resources of `stack` whose literal names AWS holds unique. */
function namedResources(stack: TerraformStack): NamedResource[] {
  if (!(stack instanceof AwsStack)) return [];
  return [...resourcesByAddress(stack)].flatMap(([address, c]) => {
    const named = NAMED[c.terraformResourceType];
    if (!named) return [];
    const name = argumentOf(c, named.argument);
    if (typeof name !== "string" || Token.isUnresolved(name)) return [];
    const provider = c.provider instanceof AwsProvider ? c.provider : undefined;
    return [
      {
        stack: stack.node.id,
        address,
        type: c.terraformResourceType,
        name,
        scope: named.scope,
        account: stack.config.accountId,
        region: provider?.region ?? stack.config.region,
      },
    ];
  });
}

function clashError(resource: NamedResource, other: NamedResource): ConfigError {
  const where = `${uniqueWithin(resource.scope, resource.type)}${resource.scope === "account-region" ? ` (${resource.region})` : ""}`;
  return new ConfigError(
    resource.address,
    resource.name,
    `is also the name of ${other.address} in ${other.stack}: ${where}, so the second would fail at apply or take over the first`,
    "rename one: the setting that names it, or the key its name is derived from (e.g. a storage bucket keyed like a bucket the project derives: static-assets, s3-access-logs, cloudtrail)",
    resource.stack,
  );
}
