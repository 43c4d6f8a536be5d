import { defineModule } from "../module";
import { checkRegistrySettings } from "./checks";
import { RegistryConfigSchema, repositoryNameOf } from "./settings";

/** The `registry` module (see ../module.ts). */
export const registryModule = defineModule({
  key: "registry",
  settings: RegistryConfigSchema.prefault({}).describe("ECR repositories (the `storage` stack). Default: none."),
  check: (registry, { naming }) => checkRegistrySettings(registry, naming),
  names: (registry, naming) =>
    Object.entries(registry.repositories).map(([key, repository]) => ({ kind: "ECR repository", name: repositoryNameOf(naming, key, repository), key: `repositories.${key}.repositoryName`, scope: "account-region" as const })),
});
