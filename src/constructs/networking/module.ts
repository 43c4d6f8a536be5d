import { defineModule } from "../module";
import { NetworkConfigSchema } from "./settings";

/** The `network` module (see ../module.ts). */
export const networkModule = defineModule({
  key: "network",
  settings: NetworkConfigSchema.prefault({}).describe("The VPC."),
});
