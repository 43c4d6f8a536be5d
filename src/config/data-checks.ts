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
  problems.check(() => checkSecretReferences(config));
  problems.throwIfAny();
}

/**
 * The secrets other modules name that must be entries of `secrets.entries` (the store creates
 * them): each Redis user's `urlSecret`, where Terraform writes its connection URL, and each
 * script service's first-boot election secret, which the election needs created empty (a
 * secret that does not exist, or that already has a value, would make every instance wait out
 * the timeout). `why` completes "is not a secret of secrets.entries".
 */
function secretReferences(config: SystemConfig): { key: string; secret: string; why: string }[] {
  return [
    ...Object.entries(config.redis?.users ?? {}).flatMap(([name, user]) =>
      user.urlSecret ? [{ key: `redis.users.${name}.urlSecret.name`, secret: user.urlSecret.name, why: ", so Terraform has nowhere to write the user's connection URL" }] : [],
    ),
    ...Object.entries(config.compute.services).flatMap(([name, service]) =>
      service.app.type === "script" && service.app.firstBoot
        ? [{ key: `compute.services.${name}.app.firstBoot.electionSecret`, secret: service.app.firstBoot.electionSecret, why: ": the election needs a secret the stacks create empty" }]
        : [],
    ),
  ];
}

/** Each of {@link secretReferences} names an entry of `secrets.entries`. */
function checkSecretReferences(config: SystemConfig): void {
  const problems = new Problems();
  const entries = config.secrets?.entries ?? {};
  for (const { key, secret, why } of secretReferences(config)) {
    if (!Object.prototype.hasOwnProperty.call(entries, secret)) {
      problems.add(new ConfigError(key, secret, `is not a secret of secrets.entries${why}`, `add "${secret}" to secrets.entries (under secrets.prefix), or name one that is there`));
    }
  }
  problems.throwIfAny();
}
