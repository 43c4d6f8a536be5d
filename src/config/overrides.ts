import { readFileSync } from "fs";
import { ENVIRONMENT_NAMES } from "./environments";
import { ConfigError, Problems } from "../lib/errors";
import { SystemConfigInput } from "./system-config";

/**
 * User settings layered over the system presets, by system and environment; `all`
 * applies to every environment, before the environment's own entry:
 *
 * ```json
 * { "muejam": { "all": { "region": "eu-west-1" }, "prod": { "network": { "cidr": "10.40.0.0/16" } } } }
 * ```
 */
export type Overrides = Readonly<Record<string, Readonly<Record<string, SystemConfigInput>>>>;

/** The layers of `overrides` that apply to `system` in `environment`, lowest first. */
export function overrideLayers(overrides: Overrides, system: string, environment: string): SystemConfigInput[] {
  const bySystem = overrides[system] ?? {};
  return [bySystem.all, bySystem[environment]].filter((l): l is SystemConfigInput => l !== undefined);
}

/**
 * Reads and checks an overrides file. `key` names where the path came from (e.g. the
 * `INFRA_CONFIG` variable) in error messages.
 */
export function readOverrides(path: string, knownSystems: readonly string[], key = "INFRA_CONFIG"): Overrides {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(key, path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, "point it at an existing JSON file");
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(key, path, `is not valid JSON (${(e as Error).message})`, "fix the JSON syntax");
  }
  return checkOverrides(data, knownSystems, path);
}

/** The key naming the file's JSON Schema (schema/infra-config.schema.json), for editors; not a system. */
const SCHEMA_KEY = "$schema";

/** Checks the two outer levels of an overrides object, every entry; the settings inside are checked with the schema. */
export function checkOverrides(data: unknown, knownSystems: readonly string[], where = "overrides"): Overrides {
  const scopes = ["all", ...ENVIRONMENT_NAMES];
  if (!isObject(data)) {
    throw new ConfigError(where, data, "must be a JSON object keyed by system name", `e.g. { "${knownSystems[0]}": { "prod": { ... } } }`);
  }
  const problems = new Problems();
  for (const [system, byEnv] of Object.entries(data)) {
    if (system === SCHEMA_KEY) continue;
    if (!knownSystems.includes(system)) {
      problems.add(new ConfigError(`${where}: ${system}`, byEnv, "is not a known system", `use one of ${knownSystems.join(", ")}`));
    } else if (!isObject(byEnv)) {
      problems.add(new ConfigError(`${where}: ${system}`, byEnv, "must be an object keyed by environment", `use keys from ${scopes.join(", ")}`));
    } else {
      for (const [env, layer] of Object.entries(byEnv)) {
        if (!scopes.includes(env)) {
          problems.add(new ConfigError(`${where}: ${system}.${env}`, layer, "is not a known environment", `use one of ${scopes.join(", ")}`));
        } else if (!isObject(layer)) {
          problems.add(new ConfigError(`${where}: ${system}.${env}`, layer, "must be an object of settings", "see src/config/system-config.ts"));
        }
      }
    }
  }
  problems.throwIfAny();
  const { [SCHEMA_KEY]: _schema, ...overrides } = data;
  return overrides as Overrides;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
