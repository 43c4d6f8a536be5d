import { ConfigError, Problems } from "../lib/errors";
import type { SystemConfig } from "./system-config";

/**
 * What holds across the data tier's modules (each module's own checks are in its folder, run
 * by checkModules): databases and caches need isolated subnets, and a Redis user's URL secret
 * must be one of the secrets. Throws a ConfigError, or ConfigErrors for several.
 */
export function checkDataTier(config: SystemConfig): void {
  const problems = new Problems();
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
  const redis = config.redis;
  if (redis) problems.check(() => checkRedisUrlSecrets(redis, config.secrets?.entries ?? {}));
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
