import { validateAzs, validateRegion } from "../lib/availability-zones";
import { deepMerge } from "../lib/deep-merge";
import { RESERVED_TAG_KEYS } from "../lib/tags";
import { checkDataTier } from "./data-checks";
import { checkLoadBalancerRecordsReachAlb } from "./edge-checks";
import { resolveBackend, validateForeignStates } from "./backend-config";
import { checkCompute } from "../constructs/asg/checks";
import { checkEdgeConfig } from "../constructs/edge/settings";
import { checkEksConfig, EksSettings } from "../constructs/eks/settings";
import { azsOf } from "../constructs/networking/settings";
import { checkNetworkSettings } from "../constructs/networking/checks";
import { EnvironmentName, environmentDefaults } from "./environments";
import { ConfigError, ConfigErrors, Problems, nested } from "../lib/errors";
import { SECRET_NAME_CHARACTERS } from "../lib/aws-values";
import { SystemConfig, SystemConfigInput, SystemConfigSchema, systemConfigSchemaOf } from "./system-config";
import { missingInputs, resolveRelativeEdgeNames } from "./required-inputs";
import { checkWorkloadsConfig } from "../constructs/k8s-workloads/settings";
import { AnyModule, checkModules, MODULES } from "./modules";
import { Naming } from "../lib/naming";
import { keyOfPath, parseOrThrow } from "./zod-errors";

/** A validated system configuration, with every default filled in (including the AZs). */
export type ResolvedSystemConfig = SystemConfig & { readonly network: { readonly azs: string[] }; readonly eks?: EksSettings };

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
 * Edge names relative to the hosted zone (`app`, `@`) are made absolute first; then the
 * values only the user knows are checked, all at once (./required-inputs.ts).
 *
 * Throws ConfigErrors listing every problem, each located in `<project>/<environment>`.
 */
export function resolveSystemConfig(environment: string, ...layers: SystemConfigInput[]): ResolvedSystemConfig {
  return resolveAndCheck(environment, layers);
}

/** The schema a system of `modules` parses with: SystemConfigSchema for MODULES, built once per other list. */
function schemaOf(modules: readonly AnyModule[]): typeof SystemConfigSchema {
  if (modules === MODULES) return SystemConfigSchema;
  let schema = SCHEMAS.get(modules);
  if (!schema) SCHEMAS.set(modules, (schema = systemConfigSchemaOf(modules) as unknown as typeof SystemConfigSchema));
  return schema;
}
const SCHEMAS = new WeakMap<readonly AnyModule[], typeof SystemConfigSchema>();

/** Checks of a system's whole configuration, run after its own (e.g. AWS's rules: ./aws-rules.ts). */
export type ConfigRules = (config: SystemConfig) => readonly ConfigError[];

/**
 * resolveSystemConfig, with `rules` run on the configuration as well, even where it has other
 * problems (with each invalid setting left at its default): their problems come in the same
 * error, except about a setting already reported.
 */
export function resolveAndCheck(environment: string, layers: readonly SystemConfigInput[], rules?: ConfigRules, modules: readonly AnyModule[] = MODULES): ResolvedSystemConfig {
  const schema = schemaOf(modules);
  const scope = `${layers.map((l) => l.project).filter(Boolean).pop() ?? "(unnamed)"}/${environment}`;
  let profile: SystemConfigInput;
  try {
    profile = environmentDefaults(environment);
  } catch (e) {
    throw new ConfigErrors([(e as ConfigError).inScope(scope)]);
  }
  const merged = deepMerge<SystemConfigInput>(profile, ...layers, { environment: environment as EnvironmentName });
  const { value, errors, invalidPaths } = parseOrThrow(schema, merged);
  const shaped = value ?? parseOrThrow(schema, without(merged, invalidPaths)).value;
  const parsed = shaped?.edge ? { ...shaped, edge: resolveRelativeEdgeNames(shaped.edge) } : shaped;
  const found = [...errors];
  let resolved: ResolvedSystemConfig | undefined;
  if (parsed) {
    const invalidKeys = invalidPaths.map(keyOfPath);
    const notInvalid = (e: ConfigError): boolean => ![e.key, ...e.reads].some((key) => invalidKeys.some((k) => isUnder(key, k)));
    // Values only the user knows: every missing one is listed, with every other problem.
    const missing = missingInputs(parsed).filter(notInvalid);
    found.push(...missing);
    // A missing input already explains the checks on it; a missing hosted zone explains the
    // edge names left relative to it.
    const explained = missing.map((e) => (e.key === "edge.hostedZone" ? "edge" : e.key));
    const news = (e: ConfigError): boolean => notInvalid(e) && !explained.some((k) => isUnder(e.key, k));
    try {
      const meaning = checkMeaning(parsed, modules);
      found.push(...meaning.errors.filter(news));
      resolved = meaning.value;
    } catch (e) {
      if (missing.length === 0) throw e; // a check that breaks on a missing input is not news
    }
    if (rules) {
      const reported = (e: ConfigError): boolean => found.some((f) => isUnder(e.key, f.key));
      try {
        found.push(...rules(resolved ?? parsed).filter((e) => news(e) && !reported(e)));
      } catch (e) {
        if (found.length === 0) throw e; // a rule that breaks on a value already reported is not news
      }
    }
  }
  if (found.length > 0 || !resolved) throw new ConfigErrors(found.map((e) => e.inScope(scope)));
  return resolved;
}

/** The certificates kept in secrets are published by an existing service, and are secrets of the system's prefix. */
function checkSecretCertificates(config: SystemConfig): void {
  const certs = config.audit?.certificateExpiry.secretCertificates;
  if (!certs) return;
  const problems = new Problems();
  const key = "audit.certificateExpiry.secretCertificates";
  const services = Object.keys(config.compute.services);
  if (!services.includes(certs.publishedBy)) {
    problems.add(
      new ConfigError(
        `${key}.publishedBy`,
        certs.publishedBy,
        "is not a compute service, so nothing would publish the certificates' days to expiry",
        services.length > 0 ? `use one of ${services.map((s) => `"${s}"`).join(", ")}` : "add a compute service that can read the secrets",
      ),
    );
  }
  certs.secrets.forEach((name, i) => {
    if (!SECRET_NAME_CHARACTERS.test(name) || (config.secrets && !name.startsWith(config.secrets.prefix))) {
      problems.add(new ConfigError(`${key}.secrets[${i}]`, name, `is not a secret name${config.secrets ? ` under the prefix "${config.secrets.prefix}"` : ""}`, `name a secret that holds one PEM certificate, e.g. "${config.secrets?.prefix ?? "app/"}ca-cert"`));
    }
  });
  problems.throwIfAny();
}

/** What pods are granted exists: buckets of the storage layer, the database, Redis. */
function checkPodAws(config: SystemConfig): void {
  const problems = new Problems();
  for (const [name, app] of Object.entries(config.workloads?.apps ?? {})) {
    const aws = app.aws;
    if (!aws) continue;
    const key = `workloads.apps.${name}.aws`;
    if (app.serviceAccountRoleArn) {
      problems.add(new ConfigError(`workloads.apps.${name}.serviceAccountRoleArn`, app.serviceAccountRoleArn, "is set as well as aws, which gives the app a role of its own", "use one of them"));
    }
    const buckets = Object.keys(config.storage.buckets);
    for (const bucket of Object.keys(aws.buckets)) {
      if (!buckets.includes(bucket)) {
        problems.add(new ConfigError(`${key}.buckets.${bucket}`, bucket, "is not a bucket of storage.buckets", buckets.length > 0 ? `use one of ${buckets.map((b) => `"${b}"`).join(", ")}` : "add it to storage.buckets"));
      }
    }
    if (aws.database && !config.rds) problems.add(new ConfigError(`${key}.database`, true, "needs a database, but rds is not configured", "configure rds, or set database to false"));
    if (aws.redis && !config.redis) problems.add(new ConfigError(`${key}.redis`, true, "needs Redis, but redis is not configured", "configure redis, or set redis to false"));
  }
  problems.throwIfAny();
}

/** Checks across keys, each independent check run even when another fails. */
function checkMeaning(config: SystemConfig, modules: readonly AnyModule[]): { value?: ResolvedSystemConfig; errors: readonly ConfigError[] } {
  const problems = new Problems();
  const check = (fn: () => void): boolean => problems.check(fn);
  const network = config.network;
  const regionValid = check(() => validateRegion(config.region));
  const azs = regionValid ? azsOf(network, config.region) : (network.azs ?? []);
  const azsValid = regionValid && check(() => nested("network", () => validateAzs(config.region, azs)));
  check(() => nested("network", () => checkNetworkSettings(network, azsValid ? { region: config.region, azs } : undefined)));
  for (const key of RESERVED_TAG_KEYS) {
    if (config.tags[key] !== undefined) {
      problems.add(
        new ConfigError(
          `tags.${key}`,
          config.tags[key],
          `is a tag this project sets on every resource (${RESERVED_TAG_KEYS.join(", ")}); your value would be replaced`,
          `remove it, or use a tag key of your own${key === "Project" ? ` (the Project tag is the project name, "${config.project}")` : ""}`,
        ),
      );
    }
  }
  // Each module's own checks; then what holds across modules.
  const naming = new Naming(config.project, config.environment, config.accountId);
  checkModules(config, { naming, region: regionValid ? config.region : undefined, azs: azsValid ? azs : undefined }, problems, modules);
  check(() => checkDataTier(config));
  check(() => resolveBackend(config));
  check(() => validateForeignStates(config.foreignStates));
  if (regionValid) check(() => checkCompute(config.compute, config));
  const edge = config.edge;
  if (edge) check(() => checkEdgeConfig(edge, config));
  check(() => checkLoadBalancerRecordsReachAlb(config));
  // The EKS and workloads checks also fill their per-environment defaults.
  const eks = config.eks && problems.value(() => nested("eks", () => checkEksConfig(config.eks!, config.environment)));
  const workloads = config.workloads && problems.value(() => nested("workloads", () => checkWorkloadsConfig(config.workloads!, eks ?? config.eks, config.environment)));
  check(() => checkSecretCertificates(config));
  check(() => checkPodAws(config));
  for (const [name, service] of Object.entries(config.compute.services)) {
    if (service.app.type === "container" && service.app.database && !config.rds) {
      problems.add(new ConfigError(`compute.services.${name}.app.database`, true, "needs a database, but rds is not configured", "configure rds, or set database to false"));
    }
  }
  if (problems.errors.length > 0) return { errors: problems.errors };
  const { eks: _unchecked, ...checked } = config;
  return { value: { ...checked, network: { ...network, azs }, ...(eks ? { eks } : {}), ...(workloads ? { workloads } : {}) }, errors: [] };
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
