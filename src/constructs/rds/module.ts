import { defineModule } from "../module";
import { RdsConfigSchema } from "./settings";

/** The `rds` module (see ../module.ts). */
export const rdsModule = defineModule({
  key: "rds",
  settings: RdsConfigSchema.optional().describe("An RDS instance in the isolated subnets (the `data` stack). Default: none."),
});
