import { defaultAzs, validateAzs, validateRegion } from "../lib/availability-zones";
import { deepMerge } from "../lib/deep-merge";
import { parseBlock, planSubnets } from "../lib/subnet-plan";
import { RESERVED_TAG_KEYS } from "../lib/tags";
import { checkDataTier } from "./data-checks";
import { resolveBackend, validateForeignStates } from "./backend-config";
import { checkCompute } from "./compute-checks";
import { checkEdgeConfig } from "./edge-config";
import { checkEksConfig } from "./eks-config";
import { EnvironmentName, environmentDefaults } from "./environments";
import { ConfigError, ConfigErrors, nested } from "./errors";
import { SystemConfig, SystemConfigInput, SystemConfigSchema } from "./system-config";
import { checkWorkloadsConfig } from "./workloads-config";
import { keyOfPath, parseOrThrow } from "./zod-errors";

/** A validated system configuration, with every default filled in (including the AZs). */
export type ResolvedSystemConfig = SystemConfig & { readonly network: { readonly azs: string[] } };

/**
 * Builds one system's configuration from its layers, lowest first: the environment's
 * profile, then each layer given (the system's preset, the user's overrides). Validates
 * the shape, then the meaning (region, AZs, subnet CIDRs, checks across keys), before any
 * construct is built.
 *
 * Every problem is reported at once: where the shape is wrong, the checks across keys still
 * run, with each invalid setting left at its default (and problems about those settings
 * left out, since the shape error already names them).
 *
 * Throws ConfigErrors listing every problem, each located in `<project>/<environment>`.
 */
export function resolveSystemConfig(environment: string, ...layers: SystemConfigInput[]): ResolvedSystemConfig {
  const scope = `${layers.map((l) => l.project).filter(Boolean).pop() ?? "(unnamed)"}/${environment}`;
  let profile: SystemConfigInput;
  try {
    profile = environmentDefaults(environment);
  } catch (e) {
    throw new ConfigErrors([(e as ConfigError).inScope(scope)]);
  }
  const merged = deepMerge<SystemConfigInput>(profile, ...layers, { environment: environment as EnvironmentName });
  const { value, errors, invalidPaths } = parseOrThrow(SystemConfigSchema, merged);
  const parsed = value ?? parseOrThrow(SystemConfigSchema, without(merged, invalidPaths)).value;
  const found = [...errors];
  let resolved: ResolvedSystemConfig | undefined;
  if (parsed) {
    const invalidKeys = invalidPaths.map(keyOfPath);
    const meaning = checkMeaning(parsed);
    found.push(...meaning.errors.filter((e) => !invalidKeys.some((k) => isUnder(e.key, k))));
    resolved = meaning.value;
  }
  if (found.length > 0 || !resolved) throw new ConfigErrors(found.map((e) => e.inScope(scope)));
  return resolved;
}

/** Checks across keys, each independent check run even when another fails. */
function checkMeaning(config: SystemConfig): { value?: ResolvedSystemConfig; errors: ConfigError[] } {
  const errors: ConfigError[] = [];
  const check = (fn: () => void): boolean => {
    try {
      fn();
      return true;
    } catch (e) {
      if (e instanceof ConfigErrors) errors.push(...e.errors);
      else if (e instanceof ConfigError) errors.push(e);
      else if (errors.length === 0) throw e; // a check that breaks on an input already reported is not news
      return false;
    }
  };
  const network = config.network;
  const regionValid = check(() => validateRegion(config.region));
  const azs = network.azs ?? (regionValid ? defaultAzs(config.region) : []);
  const azsValid = regionValid && check(() => nested("network", () => validateAzs(config.region, azs)));
  if (!azsValid) check(() => nested("network", () => parseBlock(network.cidr, "cidr")));
  if (azsValid) {
    check(() =>
      nested("network", () =>
        planSubnets({
          cidr: network.cidr,
          region: config.region,
          azs,
          tiers: { public: network.publicSubnets, private: network.privateSubnets, isolated: network.isolatedSubnets },
        }),
      ),
    );
  }
  network.eksClusterNames.forEach((name, i) =>
    check(() => {
      if (!/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(name)) {
        throw new ConfigError(`network.eksClusterNames[${i}]`, name, "is not a valid EKS cluster name", "use 1-100 letters, digits, '-' and '_', starting with a letter or digit");
      }
    }),
  );
  for (const key of RESERVED_TAG_KEYS) {
    if (config.tags[key] !== undefined) {
      check(() => {
        throw new ConfigError(
          `tags.${key}`,
          config.tags[key],
          `is a tag this project sets on every resource (${RESERVED_TAG_KEYS.join(", ")}); your value would be replaced`,
          `remove it, or use a tag key of your own${key === "Project" ? ` (the Project tag is the project name, "${config.project}")` : ""}`,
        );
      });
    }
  }
  if (azsValid) check(() => checkDataTier(config, azs));
  check(() => resolveBackend(config));
  check(() => validateForeignStates(config.foreignStates));
  if (regionValid) check(() => checkCompute(config.compute, config));
  const edge = config.edge;
  if (edge) check(() => checkEdgeConfig(edge, config));
  const eks = config.eks;
  if (eks) check(() => nested("eks", () => checkEksConfig(eks)));
  const workloads = config.workloads;
  if (workloads) check(() => nested("workloads", () => checkWorkloadsConfig(workloads, eks)));
  if (errors.length > 0) return { errors };
  return { value: { ...config, network: { ...network, azs } }, errors };
}

/** `input` without the settings at `paths` (deep-copied; the input is not changed). */
function without(input: unknown, paths: readonly PropertyKey[][]): unknown {
  const copy = structuredClone(input) as Record<PropertyKey, unknown>;
  for (const path of paths) {
    if (path.length === 0) return undefined;
    let parent: unknown = copy;
    for (const part of path.slice(0, -1)) {
      parent = parent !== null && typeof parent === "object" ? (parent as Record<PropertyKey, unknown>)[part] : undefined;
    }
    if (parent !== null && typeof parent === "object") delete (parent as Record<PropertyKey, unknown>)[path[path.length - 1]];
  }
  return copy;
}

/** Whether `key` is `parent` or a setting inside it. */
function isUnder(key: string, parent: string): boolean {
  return key === parent || key.startsWith(`${parent}.`) || key.startsWith(`${parent}[`);
}
