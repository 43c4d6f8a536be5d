import { defaultAzs, validateAzs, validateRegion } from "../lib/availability-zones";
import { deepMerge } from "../lib/deep-merge";
import { planSubnets } from "../lib/subnet-plan";
import { checkDataTier } from "./data-checks";
import { resolveBackend, validateForeignStates } from "./backend-config";
import { checkCompute } from "./compute-checks";
import { checkEdgeConfig } from "./edge-config";
import { checkEksConfig } from "./eks-config";
import { EnvironmentName, environmentDefaults } from "./environments";
import { ConfigError, ConfigErrors, nested } from "./errors";
import { SystemConfig, SystemConfigInput, SystemConfigSchema } from "./system-config";
import { checkWorkloadsConfig } from "./workloads-config";
import { parseOrThrow } from "./zod-errors";

/** A validated system configuration, with every default filled in (including the AZs). */
export type ResolvedSystemConfig = SystemConfig & { readonly network: { readonly azs: string[] } };

/**
 * Builds one system's configuration from its layers, lowest first: the environment's
 * profile, then each layer given (the system's preset, the user's overrides). Validates
 * the shape, then the meaning (region, AZs, subnet CIDRs), before any construct is built.
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
  const { value, errors } = parseOrThrow(SystemConfigSchema, merged);
  if (!value) throw new ConfigErrors(errors.map((e) => e.inScope(scope)));
  try {
    return checkMeaning(value);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigErrors([e.inScope(scope)]);
    throw e;
  }
}

function checkMeaning(config: SystemConfig): ResolvedSystemConfig {
  validateRegion(config.region);
  const network = config.network;
  const azs = network.azs ?? defaultAzs(config.region);
  nested("network", () => {
    validateAzs(config.region, azs);
    planSubnets({
      cidr: network.cidr,
      region: config.region,
      azs,
      tiers: { public: network.publicSubnets, private: network.privateSubnets, isolated: network.isolatedSubnets },
    });
    network.eksClusterNames.forEach((name, i) => {
      if (!/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(name)) {
        throw new ConfigError(`eksClusterNames[${i}]`, name, "is not a valid EKS cluster name", "use 1-100 letters, digits, '-' and '_', starting with a letter or digit");
      }
    });
  });
  checkDataTier(config, azs);
  resolveBackend(config);
  validateForeignStates(config.foreignStates);
  checkCompute(config.compute, config);
  if (config.edge) checkEdgeConfig(config.edge, config);
  const eks = config.eks ? nested("eks", () => checkEksConfig(config.eks!, config.environment)) : undefined;
  const workloads = config.workloads ? nested("workloads", () => checkWorkloadsConfig(config.workloads!, eks, config.environment)) : undefined;
  return { ...config, network: { ...network, azs }, ...(eks ? { eks } : {}), ...(workloads ? { workloads } : {}) };
}
