import { longestName, Naming } from "../../lib/naming";
import { Problems } from "../../lib/errors";
import { validateRedisSettings } from "./redis";
import { RedisConfig } from "./settings";

/**
 * The cache settings (as the construct checks them, with the subnets it would get: one per
 * AZ), and the longest replication group name they derive, which names `project` when it is
 * too long. Other keys are relative to the settings.
 */
export function checkRedisSettings(redis: RedisConfig, azs: readonly string[], naming: Naming): void {
  const problems = new Problems();
  problems.check(() => validateRedisSettings(redis, { subnetIds: azs }));
  problems.check(() => naming.name("cacheReplicationGroup", "redis", ...longestName(Object.keys(redis.users), "default")));
  problems.throwIfAny();
}
