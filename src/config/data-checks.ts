import { validateCertificate, validateSubscription, isAlarmPeriod } from "../constructs/audit/alarms";
import { validateRedisSettings } from "../constructs/elasticache/redis";
import { validateDatabaseSettings } from "../constructs/rds/database";
import { validateRepositoryName } from "../constructs/registry/repository";
import { validateSecretName, validateSecretPrefix } from "../constructs/secrets/secret-store";
import { Naming, checkNameLength } from "../lib/naming";
import { validateBucketName } from "../lib/s3-bucket-name";
import { ConfigError, nested } from "./errors";
import type { SystemConfig } from "./system-config";

/**
 * The names the data tier gives its resources when the configuration does not: one place,
 * used by the stacks and by validation alike, so a name is checked before it is built.
 */
export const dataTierNames = {
  bucket: (naming: Naming, key: string, given?: string) => given ?? naming.name("s3Bucket", key),
  accessLogBucket: (naming: Naming) => naming.name("s3Bucket", "s3-access-logs"),
  table: (naming: Naming, key: string, given?: string) => given ?? naming.name("dynamodbTable", key),
  repository: (naming: Naming, key: string, given?: string) => given ?? `${naming.prefix}/${key}`,
  trailBucket: (naming: Naming, given?: string) => given ?? naming.name("s3Bucket", "cloudtrail"),
};

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
 * databases and caches have isolated subnets to live in. Throws the first ConfigError.
 */
export function checkDataTier(config: SystemConfig, azs: readonly string[]): void {
  const naming = new Naming(config.project, config.environment, config.accountId);

  if ((config.rds || config.redis) && config.network.isolatedSubnets === null) {
    throw new ConfigError(
      "network.isolatedSubnets",
      null,
      `is off, but ${config.rds ? "rds" : "redis"} needs isolated subnets to live in`,
      'set network.isolatedSubnets (e.g. { "prefixLength": 24 }), or remove rds and redis',
    );
  }

  const rds = config.rds;
  if (rds) {
    nested("rds", () =>
      validateDatabaseSettings({
        engine: rds.engine,
        engineVersion: rds.engineVersion,
        instanceClass: rds.instanceClass,
        allocated: rds.allocatedStorage,
        maxAllocated: rds.maxAllocatedStorage,
        backupRetention: rds.backupRetentionDays,
        monitoringInterval: rds.monitoringInterval,
        pi: rds.performanceInsights,
        replicas: rds.readReplicas,
        retention: rds.logRetentionInDays,
        subnetIds: azs,
        masterUsername: rds.masterUsername,
        databaseName: rds.databaseName,
      }),
    );
    // Derived names: an overlong one names the `project` key, so it is checked outside nested().
    naming.name("dbInstance", rds.engine, ...longest(Object.keys(rds.readReplicas)));
  }

  const redis = config.redis;
  if (redis) {
    nested("redis", () =>
      validateRedisSettings({
        version: redis.engineVersion,
        nodes: redis.numCacheClusters,
        multiAz: redis.multiAz ?? redis.numCacheClusters > 1,
        nodeType: redis.nodeType,
        snapshots: redis.snapshotRetentionDays,
        slowLogRetention: redis.slowLogRetentionInDays,
        users: redis.users,
        subnetIds: azs,
      }),
    );
    naming.name("cacheReplicationGroup", "redis", ...longest(Object.keys(redis.users), "default"));
  }

  const storage = config.storage;
  for (const [key, bucket] of Object.entries(storage.buckets)) {
    nested("storage", () => checkItemKey(`buckets.${key}`, key));
    const name = dataTierNames.bucket(naming, key, bucket.bucketName);
    nested("storage", () => {
      validateBucketName(name, `buckets.${key}.bucketName`);
      const lc = bucket.lifecycle;
      for (const t of lc.transitions) {
        if (lc.expirationDays !== undefined && t.days >= lc.expirationDays) {
          throw new ConfigError(`buckets.${key}.lifecycle.expirationDays`, lc.expirationDays, `is not after the ${t.storageClass} transition (day ${t.days})`, `expire after day ${t.days}, or drop the transition`);
        }
      }
    });
  }
  if (storage.accessLogs && Object.keys(storage.buckets).length > 0) {
    const name = dataTierNames.accessLogBucket(naming);
    nested("storage", () => validateBucketName(name, "accessLogs"));
  }
  for (const [key, table] of Object.entries(storage.tables)) {
    nested("storage", () => checkItemKey(`tables.${key}`, key));
    const name = dataTierNames.table(naming, key, table.tableName);
    nested("storage", () => {
      checkNameLength("dynamodbTable", name, `tables.${key}.tableName`);
      if (!/^[A-Za-z0-9_.-]{3,255}$/.test(name)) {
        throw new ConfigError(`tables.${key}.tableName`, name, "is not a valid DynamoDB table name", "use 3-255 letters, digits, '_', '-' and '.'");
      }
    });
  }

  nested("registry", () => {
    for (const [key, repo] of Object.entries(config.registry.repositories)) {
      checkItemKey(`repositories.${key}`, key);
      validateRepositoryName(dataTierNames.repository(naming, key, repo.repositoryName), `repositories.${key}.repositoryName`);
      if (repo.encryption === "AES256" && repo.kmsKeyArn) {
        throw new ConfigError(`repositories.${key}.kmsKeyArn`, repo.kmsKeyArn, 'is only used with encryption "KMS"', 'set encryption to "KMS", or remove kmsKeyArn');
      }
    }
  });

  const secrets = config.secrets;
  if (secrets) {
    nested("secrets", () => {
      validateSecretPrefix(secrets.prefix, "prefix");
      const names = Object.keys(secrets.entries);
      if (names.length === 0) {
        throw new ConfigError("entries", secrets.entries, "names no secret", 'give at least one, e.g. { "joblet/ca-cert": "Shared CA certificate" }, or remove secrets');
      }
      for (const name of names) validateSecretName(name, secrets.prefix, `entries.${name}`);
    });
  }

  const audit = config.audit;
  if (audit) {
    const trailBucket = dataTierNames.trailBucket(naming, audit.trail.bucketName);
    nested("audit", () => {
      validateBucketName(trailBucket, "trail.bucketName");
      if (audit.trail.expirationDays <= audit.trail.transitionToGlacierDays) {
        throw new ConfigError("trail.expirationDays", audit.trail.expirationDays, `must come after the Glacier transition (day ${audit.trail.transitionToGlacierDays})`, `use more than ${audit.trail.transitionToGlacierDays}`);
      }
      if (!isAlarmPeriod(audit.secretAccessAlarm.periodSeconds)) {
        throw new ConfigError("secretAccessAlarm.periodSeconds", audit.secretAccessAlarm.periodSeconds, "is not a CloudWatch alarm period", "use 10, 30 or a multiple of 60, e.g. 300");
      }
      for (const [name, arn] of Object.entries(audit.certificateExpiry.certificates)) {
        validateCertificate(name, arn, config.region, `certificateExpiry.certificates.${name}`);
      }
      audit.alarmSubscriptions.forEach((s, i) => validateSubscription(s, `alarmSubscriptions[${i}]`));
    });
  }
}

/** The longest of `names` (as a one-element list), to check the longest derived resource name. */
function longest(names: readonly string[], ...more: string[]): string[] {
  const all = [...names, ...more];
  if (all.length === 0) return [];
  return [all.reduce((a, b) => (b.length > a.length ? b : a))];
}
