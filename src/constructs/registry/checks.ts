import { checkNamedItems, Naming } from "../../lib/naming";
import { Problems } from "../../lib/errors";
import { validateRepositoryName } from "./repository";
import { RegistryConfig, repositoryNameOf } from "./settings";

/** The repositories, each on its own: keys usable as ids and name parts, names valid for ECR. Keys are relative to the settings. */
export function checkRegistrySettings(registry: RegistryConfig, naming: Naming): void {
  const problems = new Problems();
  checkNamedItems(problems, "repositories", registry.repositories, { nameKey: "repositoryName", given: (r) => r.repositoryName, nameOf: (key, r) => repositoryNameOf(naming, key, r) }, validateRepositoryName);
  problems.throwIfAny();
}
