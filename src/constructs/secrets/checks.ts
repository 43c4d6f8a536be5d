import { Problems } from "../../lib/errors";
import { validateSecretName, validateSecretPrefix } from "./secret-store";
import { SecretsConfig } from "./settings";

/** The secrets' prefix and names (checked against a valid prefix only). Keys are relative to the settings. */
export function checkSecretsSettings(secrets: SecretsConfig): void {
  const problems = new Problems();
  const prefixValid = problems.check(() => validateSecretPrefix(secrets.prefix, "prefix"));
  if (prefixValid) Object.keys(secrets.entries).forEach((name) => problems.check(() => validateSecretName(name, secrets.prefix, `entries.${name}`)));
  problems.throwIfAny();
}
