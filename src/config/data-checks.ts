import { validateCertificate, validateSubscription } from "../constructs/audit/alarms";
import { trailBucketNameOf } from "../constructs/audit/settings";
import { repositoryNameOf } from "../constructs/registry/settings";
import { accessLogBucketNameOf, bucketNameOf, tableNameOf } from "../constructs/storage/settings";
import { validateRedisSettings } from "../constructs/elasticache/redis";
import { validateDatabaseSettings } from "../constructs/rds/database";
import { validateRepositoryName } from "../constructs/registry/repository";
import { validateSecretName, validateSecretPrefix } from "../constructs/secrets/secret-store";
import { Naming, checkNameLength } from "../lib/naming";
import { validateBucketName } from "../lib/s3-bucket-name";
import { ConfigError, Problems, nested, section } from "../lib/errors";
import type { SystemConfig } from "./system-config";

/** Keys of buckets, tables and repositories: they become construct ids and name parts. */
const ITEM_KEY = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

function checkItemKey(key: string, value: string): void {
  if (!ITEM_KEY.test(value)) {
    throw new ConfigError(key, value, "is not a usable key", "use lower case letters, digits and single hyphens, starting with a letter, e.g. documents");
  }
}

/**
 * Checks the meaning of the storage, registry, secrets, data and audit settings: engine
 * versions against the typed lists, Multi-AZ against node counts, names against AWS's
 * rules (S3 buckets, ECR, Secrets Manager and its allowed prefix, DynamoDB), and that
 * databases and caches have isolated subnets to live in. Every part and item is checked
 * even when another fails; throws a ConfigError, or ConfigErrors for several.
 */
export function checkDataTier(config: SystemConfig, azs: readonly string[]): void {
  const problems = new Problems();
  const naming = new Naming(config.project, config.environment, config.accountId);

  if ((config.rds || config.redis) && config.network.isolatedSubnets === null) {
    problems.add(
      new ConfigError(
        "network.isolatedSubnets",
        null,
        `is off, but ${config.rds ? "rds" : "redis"} needs isolated subnets to live in`,
        'set network.isolatedSubnets (e.g. { "prefixLength": 24 }), or remove rds and redis',
      ),
    );
  }
  const rds = config.rds;
  if (rds) problems.check(() => checkRds(rds, azs, naming));
  const redis = config.redis;
  if (redis) problems.check(() => checkRedis(redis, azs, naming, config.secrets?.entries ?? {}));
  problems.check(() => section("storage", () => checkStorage(config.storage, naming)));
  problems.check(() => nested("registry", () => checkRegistry(config.registry, naming)));
  const secrets = config.secrets;
  if (secrets) problems.check(() => nested("secrets", () => checkSecrets(secrets)));
  const audit = config.audit;
  if (audit) problems.check(() => section("audit", () => checkAudit(audit, config.region, naming)));
  problems.throwIfAny();
}

type DataSettings = Pick<SystemConfig, "storage" | "registry">;

function checkRds(rds: NonNullable<SystemConfig["rds"]>, azs: readonly string[], naming: Naming): void {
  const problems = new Problems();
  problems.check(() => nested("rds", () => validateDatabaseSettings(rds, { subnetIds: azs })));
  // Derived names: an overlong one names the `project` key, so it is checked outside nested().
  problems.check(() => naming.name("dbInstance", rds.engine, ...longest(Object.keys(rds.readReplicas))));
  problems.throwIfAny();
}

function checkRedis(redis: NonNullable<SystemConfig["redis"]>, azs: readonly string[], naming: Naming, secretEntries: Readonly<Record<string, unknown>>): void {
  const problems = new Problems();
  problems.check(() => nested("redis", () => validateRedisSettings(redis, { subnetIds: azs })));
  problems.check(() => naming.name("cacheReplicationGroup", "redis", ...longest(Object.keys(redis.users), "default")));
  for (const [name, user] of Object.entries(redis.users)) {
    const secret = user.urlSecret?.name;
    if (secret !== undefined && !Object.prototype.hasOwnProperty.call(secretEntries, secret)) {
      problems.add(
        new ConfigError(
          `redis.users.${name}.urlSecret.name`,
          secret,
          "is not a secret of secrets.entries, so Terraform has nowhere to write the user's connection URL",
          `add "${secret}" to secrets.entries (under secrets.prefix), or name one that is there`,
        ),
      );
    }
  }
  problems.throwIfAny();
}

/** Buckets and tables, each on its own; keys relative to `storage`. */
function checkStorage(storage: DataSettings["storage"], naming: Naming): void {
  const problems = new Problems();
  for (const [key, bucket] of Object.entries(storage.buckets)) {
    // The default name is made from the key: checked once the key is usable.
    const keyValid = problems.check(() => checkItemKey(`buckets.${key}`, key));
    if (keyValid || bucket.bucketName !== undefined) {
      problems.check(() => validateBucketName(bucketNameOf(naming, key, bucket), `buckets.${key}.bucketName`));
    }
  }
  if (storage.accessLogs && Object.keys(storage.buckets).length > 0) {
    problems.check(() => validateBucketName(accessLogBucketNameOf(naming), "accessLogs"));
  }
  for (const [key, table] of Object.entries(storage.tables)) {
    const keyValid = problems.check(() => checkItemKey(`tables.${key}`, key));
    if (keyValid || table.tableName !== undefined) problems.check(() => checkTableName(`tables.${key}.tableName`, tableNameOf(naming, key, table)));
  }
  problems.throwIfAny();
}

function checkTableName(key: string, name: string): void {
  checkNameLength("dynamodbTable", name, key);
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(name)) {
    throw new ConfigError(key, name, "is not a valid DynamoDB table name", "use 3-255 letters, digits, '_', '-' and '.'");
  }
}

/** The repositories, each on its own; keys relative to `registry`. */
function checkRegistry(registry: DataSettings["registry"], naming: Naming): void {
  const problems = new Problems();
  for (const [key, repo] of Object.entries(registry.repositories)) {
    const keyValid = problems.check(() => checkItemKey(`repositories.${key}`, key));
    if (keyValid || repo.repositoryName !== undefined) {
      problems.check(() => validateRepositoryName(repositoryNameOf(naming, key, repo), `repositories.${key}.repositoryName`));
    }
  }
  problems.throwIfAny();
}

/** The secrets' prefix and names; keys relative to `secrets`. The names are checked against a valid prefix only. */
function checkSecrets(secrets: NonNullable<SystemConfig["secrets"]>): void {
  const problems = new Problems();
  const prefixValid = problems.check(() => validateSecretPrefix(secrets.prefix, "prefix"));
  if (prefixValid) Object.keys(secrets.entries).forEach((name) => problems.check(() => validateSecretName(name, secrets.prefix, `entries.${name}`)));
  problems.throwIfAny();
}

/** The trail, its alarms and the certificates watched; keys relative to `audit`. */
function checkAudit(audit: NonNullable<SystemConfig["audit"]>, region: string, naming: Naming): void {
  const problems = new Problems();
  problems.check(() => validateBucketName(trailBucketNameOf(naming, audit.trail), "trail.bucketName"));
  for (const [name, arn] of Object.entries(audit.certificateExpiry.certificates)) {
    problems.check(() => validateCertificate(name, arn, region, `certificateExpiry.certificates.${name}`));
  }
  audit.alarmSubscriptions.forEach((s, i) => problems.check(() => validateSubscription(s, `alarmSubscriptions[${i}]`)));
  problems.throwIfAny();
}

/** The longest of `names` (as a one-element list), to check the longest derived resource name. */
function longest(names: readonly string[], ...more: string[]): string[] {
  const all = [...names, ...more];
  if (all.length === 0) return [];
  return [all.reduce((a, b) => (b.length > a.length ? b : a))];
}
