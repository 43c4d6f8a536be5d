import { checkAuditSettings } from "../constructs/audit/checks";
import { checkRedisSettings } from "../constructs/elasticache/checks";
import { checkRdsSettings } from "../constructs/rds/checks";
import { checkRegistrySettings } from "../constructs/registry/checks";
import { checkSecretsSettings } from "../constructs/secrets/checks";
import { checkStorageSettings } from "../constructs/storage/checks";
import { Naming } from "../lib/naming";
import { ConfigError, Problems, nested, section } from "../lib/errors";
import type { SystemConfig } from "./system-config";

/**
 * Checks the meaning of the storage, registry, secrets, data and audit settings: each module's
 * own checks (in its folder, keys relative to its settings, placed under the module's key
 * here), and what only holds across modules: databases and caches need isolated subnets, and a
 * Redis user's URL secret must be one of the secrets. Every part and item is checked even when
 * another fails; throws a ConfigError, or ConfigErrors for several.
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
  if (rds) problems.check(() => section("rds", () => checkRdsSettings(rds, azs, naming)));
  const redis = config.redis;
  if (redis) {
    problems.check(() => section("redis", () => checkRedisSettings(redis, azs, naming)));
    problems.check(() => checkRedisUrlSecrets(redis, config.secrets?.entries ?? {}));
  }
  problems.check(() => section("storage", () => checkStorageSettings(config.storage, naming)));
  problems.check(() => nested("registry", () => checkRegistrySettings(config.registry, naming)));
  const secrets = config.secrets;
  if (secrets) problems.check(() => nested("secrets", () => checkSecretsSettings(secrets)));
  const audit = config.audit;
  if (audit) problems.check(() => section("audit", () => checkAuditSettings(audit, config.region, naming)));
  problems.throwIfAny();
}

/** Each Redis user's `urlSecret` names a secret of `secrets.entries`, where Terraform writes its connection URL. */
function checkRedisUrlSecrets(redis: NonNullable<SystemConfig["redis"]>, secretEntries: Readonly<Record<string, unknown>>): void {
  const problems = new Problems();
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
