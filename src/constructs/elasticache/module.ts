import { defineModule } from "../module";
import { checkRedisSettings } from "./checks";
import { RedisConfigSchema } from "./settings";

/** The `redis` module (see ../module.ts). */
export const redisModule = defineModule({
  key: "redis",
  settings: RedisConfigSchema.optional().describe("An ElastiCache Redis replication group in the isolated subnets (the `data` stack). Default: none."),
  // The subnet group spans the network's AZs: checked once they are valid.
  check(redis, { azs, naming }) {
    if (azs) checkRedisSettings(redis, azs, naming);
  },
});
