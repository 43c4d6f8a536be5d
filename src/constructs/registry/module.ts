import { defineModule } from "../module";
import { RegistryConfigSchema } from "./settings";

/** The `registry` module (see ../module.ts). */
export const registryModule = defineModule({
  key: "registry",
  settings: RegistryConfigSchema.prefault({}).describe("ECR repositories (the `storage` stack). Default: none."),
});
