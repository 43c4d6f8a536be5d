import { defineModule } from "../module";
import { RedisConfigSchema } from "./settings";

/** The `redis` module (see ../module.ts). */
export const redisModule = defineModule({
  key: "redis",
  settings: RedisConfigSchema.optional().describe("An ElastiCache Redis replication group in the isolated subnets (the `data` stack). Default: none."),
});
