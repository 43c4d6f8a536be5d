import { defineModule } from "../module";
import { checkRegistrySettings } from "./checks";
import { RegistryConfigSchema } from "./settings";

/** The `registry` module (see ../module.ts). */
export const registryModule = defineModule({
  key: "registry",
  settings: RegistryConfigSchema.prefault({}).describe("ECR repositories (the `storage` stack). Default: none."),
  check: (registry, { naming }) => checkRegistrySettings(registry, naming),
});
