import { BackendConfigInput, backendFromEnv } from "./backend-config";
import { ENVIRONMENT_NAMES } from "./environments";
import { ConfigError } from "./errors";

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
 */
export function selectionFromEnv(env: NodeJS.ProcessEnv, knownSystems: readonly string[]): Selection {
  const systems = list(env.INFRA_SYSTEMS) ?? [...knownSystems];
  systems.forEach((s) => {
    if (!knownSystems.includes(s)) {
      throw new ConfigError("INFRA_SYSTEMS", env.INFRA_SYSTEMS, `names "${s}", which is not a known system`, `use a comma-separated list of ${knownSystems.join(", ")}`);
    }
  });
  const environments = list(env.INFRA_ENVIRONMENTS) ?? [...DEFAULT_ENVIRONMENTS];
  environments.forEach((e) => {
    if (!(ENVIRONMENT_NAMES as readonly string[]).includes(e)) {
      throw new ConfigError(
        "INFRA_ENVIRONMENTS",
        env.INFRA_ENVIRONMENTS,
        `names "${e}", which is not a known environment`,
        `use a comma-separated list of ${ENVIRONMENT_NAMES.join(", ")}, or add a profile to src/config/environments.ts`,
      );
    }
  });
  const configFile = env.INFRA_CONFIG?.trim() || undefined;
  return { systems, environments, configFile, backend: backendFromEnv(env) };
}

function list(value: string | undefined): string[] | undefined {
  const items = (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return items.length > 0 ? [...new Set(items)] : undefined;
}
