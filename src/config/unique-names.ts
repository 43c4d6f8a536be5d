import { staticAssetsBucketName } from "../constructs/edge/settings";
import { ConfiguredName } from "../constructs/module";
import { NameScope, sameNamespace } from "../lib/name-scope";
import { ConfigError } from "../lib/errors";
import { AnyModule, MODULES, modulesSetIn } from "./modules";
import { Naming } from "../lib/naming";
import type { SystemConfig } from "./system-config";

/**
 * The names a system's configuration chooses that AWS holds unique: S3 buckets (globally),
 * and per account and region ECR repositories, secrets, DynamoDB tables, target groups, the
 * state lock table. Names the project derives (`<project>-<environment>-...`: roles, log
 * groups, groups, launch templates, load balancers, clusters, KMS aliases) carry the
 * environment, so environments never share them; they are listed for S3 only, where the
 * account id keeps them apart from other accounts' buckets. Then the names each module of
 * `modules` declares (ModuleDefinition.names).
 */
export function configuredNames(config: SystemConfig, modules: readonly AnyModule[] = MODULES): ConfiguredName[] {
  const naming = new Naming(config.project, config.environment, config.accountId);
  const names: ConfiguredName[] = [];
  const add = (kind: string, name: string, key: string, scope: NameScope = "account-region") => names.push({ kind, name, key, scope });
  for (const [key, repo] of Object.entries(config.registry.repositories)) {
    add("ECR repository", repo.repositoryName ?? `${config.project}-${config.environment}/${key}`, `registry.repositories.${key}.repositoryName`);
  }
  for (const name of Object.keys(config.secrets?.entries ?? {})) add("secret", name, `secrets.entries.${name}`);
  for (const [key, table] of Object.entries(config.storage.tables)) {
    add("DynamoDB table", table.tableName ?? `${config.project}_${config.environment}_${key}`, `storage.tables.${key}.tableName`);
  }
  for (const [key, bucket] of Object.entries(config.storage.buckets)) {
    add("S3 bucket", bucket.bucketName ?? naming.name("s3Bucket", key), `storage.buckets.${key}.bucketName`, "global");
  }
  if (config.stateBackend.enabled) {
    if (config.stateBackend.bucketName) add("S3 bucket", config.stateBackend.bucketName, "stateBackend.bucketName", "global");
    if (config.stateBackend.lockTableName) add("DynamoDB table", config.stateBackend.lockTableName, "stateBackend.lockTableName");
  }
  const assets = config.edge?.cdn?.staticAssets;
  if (assets?.bucketName) add("S3 bucket", staticAssetsBucketName(naming, assets.bucketName), "edge.cdn.staticAssets.bucketName", "global");
  for (const [name, service] of Object.entries(config.compute.services)) {
    if (service.targetGroup.name) add("target group", service.targetGroup.name, `compute.services.${name}.targetGroup.name`);
  }
  // The names modules declare (ModuleDefinition.names), keyed under the module's key.
  for (const { module, settings } of modulesSetIn(config, modules)) {
    for (const n of module.names?.(settings, naming) ?? []) names.push({ ...n, key: `${module.key}.${n.key}` });
  }
  return names;
}

/** The account a system is applied to, for comparing names: unknown when `accountId` is not set. */
function accountOf(config: SystemConfig): string | undefined {
  return config.accountId;
}

/**
 * Fails when two environments (of one system or of two) would create resources of one kind
 * with one name where AWS holds names unique: S3 buckets anywhere; other names when they
 * share a region and may share an account (the same `accountId`, or one of them without
 * `accountId`, which can be any account). Every collision is reported, naming both keys.
 */
export function checkUniqueNames(configs: readonly SystemConfig[], modules: readonly AnyModule[] = MODULES): ConfigError[] {
  const errors: ConfigError[] = [];
  const seen: { config: SystemConfig; entry: ConfiguredName }[] = [];
  for (const config of configs) {
    for (const entry of configuredNames(config, modules)) {
      const clash = seen.find(
        (s) =>
          s.entry.kind === entry.kind &&
          s.entry.name === entry.name &&
          sameNamespace(entry.scope, { account: accountOf(s.config), region: s.config.region }, { account: accountOf(config), region: config.region }),
      );
      if (clash) {
        const other = `${clash.config.project}/${clash.config.environment}: ${clash.entry.key}`;
        const account = accountOf(config) ?? accountOf(clash.config) ?? "an account not given (accountId is not set)";
        const anyAccount = accountOf(config) === undefined || accountOf(clash.config) === undefined ? " (an environment without accountId may be any account)" : "";
        const where = {
          global: "S3 bucket names are unique across all of AWS",
          account: `${entry.kind} names are unique per account, and both are in ${account}${anyAccount}`,
          "account-region": `${entry.kind} names are unique per account and region, and both are in ${config.region} of ${account}${anyAccount}`,
        }[entry.scope];
        errors.push(
          new ConfigError(
            entry.key,
            entry.name,
            `is also the ${entry.kind} of ${other}: ${where}, so the second apply would fail on the existing one`,
            entry.scope === "global"
              ? "give one of them another name (a derived name carries the account id once accountId is set)"
              : "give each environment its own accountId (separate accounts), or give one of them another name",
            `${config.project}/${config.environment}`,
          ),
        );
      } else {
        seen.push({ config, entry });
      }
    }
  }
  return errors;
}
