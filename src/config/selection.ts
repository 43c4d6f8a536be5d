import { BackendConfigInput, backendFromEnv } from "./backend-config";
import { ENVIRONMENT_NAMES } from "./environments";
import { ConfigError, Problems } from "../lib/errors";

/** Which systems and environments an app synthesizes. */
export interface Selection {
  readonly systems: readonly string[];
  readonly environments: readonly string[];
  /** Path of a JSON overrides file, if any. */
  readonly configFile?: string;
  /** Backend settings from `INFRA_STATE_*`, over every system's configuration (docs/state.md). */
  readonly backend?: BackendConfigInput;
}

/** The environments synthesized when `INFRA_ENVIRONMENTS` is not set. */
export const DEFAULT_ENVIRONMENTS: readonly string[] = ["dev"];

/**
 * Reads the selection from the environment, for pipelines:
 * - `INFRA_SYSTEMS`: comma-separated systems (default: all of them);
 * - `INFRA_ENVIRONMENTS`: comma-separated environments (default: `dev`);
 * - `INFRA_CONFIG`: a JSON overrides file (default: none);
 * - `INFRA_STATE_*`: the state backend of every stack (see backendFromEnv).
 *
 * Every bad variable is reported at once.
 */
export function selectionFromEnv(env: NodeJS.ProcessEnv, knownSystems: readonly string[]): Selection {
  const problems = new Problems();
  const systems = list(env.INFRA_SYSTEMS) ?? [...knownSystems];
  const unknownSystems = systems.filter((s) => !knownSystems.includes(s));
  if (unknownSystems.length > 0) {
    problems.add(new ConfigError("INFRA_SYSTEMS", env.INFRA_SYSTEMS, `names ${unknown(unknownSystems, "system")}`, `use a comma-separated list of ${knownSystems.join(", ")}`));
  }
  const environments = list(env.INFRA_ENVIRONMENTS) ?? [...DEFAULT_ENVIRONMENTS];
  const unknownEnvironments = environments.filter((e) => !(ENVIRONMENT_NAMES as readonly string[]).includes(e));
  if (unknownEnvironments.length > 0) {
    problems.add(
      new ConfigError(
        "INFRA_ENVIRONMENTS",
        env.INFRA_ENVIRONMENTS,
        `names ${unknown(unknownEnvironments, "environment")}`,
        `use a comma-separated list of ${ENVIRONMENT_NAMES.join(", ")}, or add a profile to src/config/environments.ts`,
      ),
    );
  }
  const configFile = env.INFRA_CONFIG?.trim() || undefined;
  const backend = problems.value(() => backendFromEnv(env));
  problems.throwIfAny();
  return { systems, environments, configFile, backend };
}

/** `"a", which is not a known <what>` or `"a", "b", which are not known <what>s`. */
function unknown(names: readonly string[], what: string): string {
  const quoted = names.map((n) => `"${n}"`).join(", ");
  return names.length === 1 ? `${quoted}, which is not a known ${what}` : `${quoted}, which are not known ${what}s`;
}

function list(value: string | undefined): string[] | undefined {
  const items = (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return items.length > 0 ? [...new Set(items)] : undefined;
}
