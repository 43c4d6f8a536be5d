import { checkItemKey, Naming } from "../../lib/naming";
import { Problems } from "../../lib/errors";
import { validateRepositoryName } from "./repository";
import { RegistryConfig, repositoryNameOf } from "./settings";

/** The repositories, each on its own: keys usable as ids and name parts, names valid for ECR. Keys are relative to the settings. */
export function checkRegistrySettings(registry: RegistryConfig, naming: Naming): void {
  const problems = new Problems();
  for (const [key, repo] of Object.entries(registry.repositories)) {
    const keyValid = problems.check(() => checkItemKey(`repositories.${key}`, key));
    if (keyValid || repo.repositoryName !== undefined) {
      problems.check(() => validateRepositoryName(repositoryNameOf(naming, key, repo), `repositories.${key}.repositoryName`));
    }
  }
  problems.throwIfAny();
}
