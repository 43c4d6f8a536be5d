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

/** The certificates kept in secrets are published by an existing service, and are secrets of the system's prefix. */
function checkSecretCertificates(config: SystemConfig): void {
  const certs = config.audit?.certificateExpiry.secretCertificates;
  if (!certs) return;
  const key = "audit.certificateExpiry.secretCertificates";
  const services = Object.keys(config.compute.services);
  if (!services.includes(certs.publishedBy)) {
    throw new ConfigError(
      `${key}.publishedBy`,
      certs.publishedBy,
      "is not a compute service, so nothing would publish the certificates' days to expiry",
      services.length > 0 ? `use one of ${services.map((s) => `"${s}"`).join(", ")}` : "add a compute service that can read the secrets",
    );
  }
  certs.secrets.forEach((name, i) => {
    if (!/^[A-Za-z0-9/_+=.@-]+$/.test(name) || (config.secrets && !name.startsWith(config.secrets.prefix))) {
      throw new ConfigError(`${key}.secrets[${i}]`, name, `is not a secret name${config.secrets ? ` under the prefix "${config.secrets.prefix}"` : ""}`, `name a secret that holds one PEM certificate, e.g. "${config.secrets?.prefix ?? "app/"}ca-cert"`);
    }
  });
}

/** What pods are granted exists: buckets of the storage layer, the database, Redis. */
function checkPodAws(config: SystemConfig): void {
  for (const [name, app] of Object.entries(config.workloads?.apps ?? {})) {
    const aws = app.aws;
    if (!aws) continue;
    const key = `workloads.apps.${name}.aws`;
    if (app.serviceAccountRoleArn) {
      throw new ConfigError(`workloads.apps.${name}.serviceAccountRoleArn`, app.serviceAccountRoleArn, "is set as well as aws, which gives the app a role of its own", "use one of them");
    }
    const buckets = Object.keys(config.storage.buckets);
    for (const bucket of Object.keys(aws.buckets)) {
      if (!buckets.includes(bucket)) {
        throw new ConfigError(`${key}.buckets.${bucket}`, bucket, "is not a bucket of storage.buckets", buckets.length > 0 ? `use one of ${buckets.map((b) => `"${b}"`).join(", ")}` : "add it to storage.buckets");
      }
    }
    if (aws.database && !config.rds) throw new ConfigError(`${key}.database`, true, "needs a database, but rds is not configured", "configure rds, or set database to false");
    if (aws.redis && !config.redis) throw new ConfigError(`${key}.redis`, true, "needs Redis, but redis is not configured", "configure redis, or set redis to false");
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
  const eks = config.eks;
  if (eks) nested("eks", () => checkEksConfig(eks));
  const workloads = config.workloads;
  if (workloads) nested("workloads", () => checkWorkloadsConfig(workloads, eks));
  checkSecretCertificates(config);
  checkPodAws(config);
  for (const [name, service] of Object.entries(config.compute.services)) {
    if (service.app.type === "container" && service.app.database && !config.rds) {
      throw new ConfigError(`compute.services.${name}.app.database`, true, "needs a database, but rds is not configured", "configure rds, or set database to false");
    }
  }
  return { ...config, network: { ...network, azs } };
}
