import { defineModule } from "../module";
import { checkRdsSettings } from "./checks";
import { RdsConfigSchema } from "./settings";

/** The `rds` module (see ../module.ts). */
export const rdsModule = defineModule({
  key: "rds",
  settings: RdsConfigSchema.optional().describe("An RDS instance in the isolated subnets (the `data` stack). Default: none."),
  // The subnet group spans the network's AZs: checked once they are valid.
  check(rds, { azs, naming }) {
    if (azs) checkRdsSettings(rds, azs, naming);
  },
});
