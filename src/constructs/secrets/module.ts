import { defineModule } from "../module";
import { checkSecretsSettings } from "./checks";
import { SecretsConfigSchema } from "./settings";

/** The `secrets` module (see ../module.ts). */
export const secretsModule = defineModule({
  key: "secrets",
  settings: SecretsConfigSchema.optional().describe("Secrets Manager secrets and their KMS key (the `storage` stack). Default: none."),
  check: (secrets) => checkSecretsSettings(secrets),
  names: (secrets) => Object.keys(secrets.entries).map((name) => ({ kind: "secret", name, key: `entries.${name}`, scope: "account-region" as const })),
});
