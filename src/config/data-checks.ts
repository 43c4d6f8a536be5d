import { ConfigError, Problems } from "../lib/errors";
import type { SystemConfig } from "./system-config";

/**
 * What holds across the data tier's modules (each module's own checks are in its folder, run
 * by checkModules): databases and caches need isolated subnets, and a Redis user's URL secret
 * and a service's first-boot election secret must be secrets of the store. Throws a
 * ConfigError, or ConfigErrors for several.
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
  problems.check(() => checkFirstBootSecrets(config));
  problems.throwIfAny();
}

/**
 * Each script service's `app.firstBoot.electionSecret` is a secret of `secrets.entries`: the
 * store creates it empty, which the election needs (a secret that does not exist, or one that
 * already has a value, would make every instance wait out the timeout).
 */
function checkFirstBootSecrets(config: SystemConfig): void {
  const problems = new Problems();
  const entries = config.secrets?.entries ?? {};
  for (const [name, service] of Object.entries(config.compute.services)) {
    const secret = service.app.type === "script" ? service.app.firstBoot?.electionSecret : undefined;
    if (secret !== undefined && !Object.prototype.hasOwnProperty.call(entries, secret)) {
      problems.add(
        new ConfigError(
          `compute.services.${name}.app.firstBoot.electionSecret`,
          secret,
          "is not a secret of secrets.entries: the election needs a secret the stacks create empty",
          `add "${secret}" to secrets.entries (under secrets.prefix), or name one that is there`,
        ),
      );
    }
  }
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
