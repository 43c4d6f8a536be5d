import { EKS_KUBERNETES_CALENDAR, ELASTICACHE_REDIS_CALENDAR, RDS_ENGINE_CALENDAR, SUPPORT_WARNING_DAYS, SupportWindow, supportState } from "../lib/support-calendar";
import { MachineKind, machineTypeProblem } from "../lib/instance-types";
import { isPlaceholderAccountId, isPlaceholderArn, reservedDomainOf } from "../lib/placeholders";
import { ConfigError } from "../lib/errors";
import type { SystemConfig } from "./system-config";

/** When the rules run: the day the support calendars are read on. */
export interface AwsRulesOptions {
  /** The day to check support calendars against. Tests pass a fixed day. */
  readonly today: Date;
  /** Days before the end of standard support that synth warns. @default 90 */
  readonly warningDays?: number;
}

/** What the rules found: errors fail synth; warnings are printed by synth. */
export interface AwsRulesResult {
  readonly errors: ConfigError[];
  readonly warnings: string[];
}

/** The image tag that a push moves: never consumed from an IMMUTABLE repository, and never the release outside dev. */
export const MUTABLE_TAG = "latest";

/**
 * AWS's own rules that the provider schema does not encode, checked at synth on a valid
 * configuration (keys are full paths from the system's root):
 *
 * - support calendars (src/lib/support-calendar.ts): an EKS, RDS or ElastiCache version past
 *   the end of its standard support fails (EKS creates no cluster past extended support;
 *   RDS charges Extended Support); within `warningDays` of it, synth warns;
 * - machine types (src/lib/instance-types.ts): EC2 instance types, cache node types and DB
 *   instance classes are checked against a table, with the closest known one as the fix;
 * - image tags: an IMMUTABLE repository refuses a second push of a tag, so `latest` is
 *   never consumed from one (outside dev, the tag is a required input: ./required-inputs.ts);
 * - outside dev, reserved domains (RFC 2606 / 6761) and placeholder account ids and ARNs.
 *
 * Every problem is reported, not only the first.
 */
export function checkAwsRules(config: SystemConfig, options: AwsRulesOptions): AwsRulesResult {
  const result: AwsRulesResult = { errors: [], warnings: [] };
  checkSupportCalendars(config, options, result);
  result.errors.push(...machineTypeErrors(config), ...imageTagErrors(config), ...(config.environment !== "dev" ? placeholderErrors(config) : []));
  return result;
}

/** EKS, RDS and ElastiCache versions against their support calendars: past the end fails, near it warns. */
function checkSupportCalendars(config: SystemConfig, options: AwsRulesOptions, { errors, warnings }: AwsRulesResult): void {
  const calendar = (key: string, what: string, value: string, window: SupportWindow | null | undefined, fix: string) => {
    if (window === undefined) return; // an unknown version: the module's own check names it
    const state = supportState(window, options.today, options.warningDays ?? SUPPORT_WARNING_DAYS);
    const day = options.today.toISOString().slice(0, 10);
    if (state.state === "ended" || state.state === "extended") {
      const after = state.state === "extended" ? ` (it is in paid extended support until ${window?.endOfExtendedSupport})` : window?.endOfExtendedSupport ? ` and its extended support on ${window.endOfExtendedSupport}: AWS no longer creates it` : "";
      errors.push(new ConfigError(key, value, `is ${what}, whose standard support ended on ${window?.endOfStandardSupport}${after}; today is ${day}`, fix));
    } else if (state.state === "ending") {
      warnings.push(`${key} = "${value}": ${what} leaves standard support on ${window?.endOfStandardSupport}, in ${state.daysLeft} days. Plan the upgrade: ${fix}.`);
    }
  };
  const inSupport = (table: Readonly<Record<string, SupportWindow | null>>) =>
    Object.entries(table)
      .filter(([, w]) => supportState(w, options.today, -1).state === "standard")
      .map(([v]) => `"${v}"`)
      .join(", ");

  const eks = config.eks;
  if (eks) calendar("eks.version", `Kubernetes ${eks.version} on EKS`, eks.version, EKS_KUBERNETES_CALENDAR[eks.version], `use a version in standard support: ${inSupport(EKS_KUBERNETES_CALENDAR)}`);
  const rds = config.rds;
  if (rds) {
    const table = RDS_ENGINE_CALENDAR[rds.engine];
    calendar("rds.engineVersion", `RDS for ${rds.engine} ${rds.engineVersion}`, rds.engineVersion, table[rds.engineVersion], `use a major version in RDS standard support: ${inSupport(table)}`);
  }
  const redis = config.redis;
  if (redis) {
    calendar("redis.engineVersion", `ElastiCache for Redis OSS ${redis.engineVersion}`, redis.engineVersion, ELASTICACHE_REDIS_CALENDAR[redis.engineVersion], `use a version in standard support: ${inSupport(ELASTICACHE_REDIS_CALENDAR)}`);
  }

}

/** Instance types, cache node types and DB instance classes against the table. */
function machineTypeErrors(config: SystemConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const { eks, rds, redis } = config;
  const machine = (kind: MachineKind, key: string, type: string) => {
    const problem = machineTypeProblem(kind, type);
    if (problem) errors.push(new ConfigError(key, type, problem.problem, problem.fix));
  };
  for (const [name, service] of Object.entries(config.compute.services)) {
    machine("ec2", `compute.services.${name}.instanceType`, service.instanceType);
    service.spot?.instanceTypes.forEach((t, i) => machine("ec2", `compute.services.${name}.spot.instanceTypes[${i}]`, t));
  }
  for (const [name, group] of Object.entries(eks?.nodeGroups ?? {})) {
    group.instanceTypes.forEach((t, i) => machine("ec2", `eks.nodeGroups.${name}.instanceTypes[${i}]`, t));
  }
  if (rds) {
    machine("db", "rds.instanceClass", rds.instanceClass);
    for (const [name, replica] of Object.entries(rds.readReplicas)) {
      if (replica.instanceClass !== undefined) machine("db", `rds.readReplicas.${name}.instanceClass`, replica.instanceClass);
    }
  }
  if (redis) machine("cache", "redis.nodeType", redis.nodeType);

  return errors;
}

/** `latest` consumed from an IMMUTABLE repository: ECR refuses its second push. */
function imageTagErrors(config: SystemConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const repositories = registryRepositories(config);
  const imageTag = (key: string, repository: string, tag: string) => {
    const repo = repositories.get(repository);
    if (tag === MUTABLE_TAG && repo?.mutability === "IMMUTABLE") {
      errors.push(
        new ConfigError(
          key,
          tag,
          `is "${MUTABLE_TAG}" (also the default when no tag is set), but the repository ${repository} (${repo.key}) is IMMUTABLE: ECR refuses a second push of "${MUTABLE_TAG}", so no release after the first could reach it`,
          `set the release's own tag (e.g. the git SHA or a version such as "1.4.2"), or make ${repo.key}.imageTagMutability "MUTABLE" (dev only)`,
        ),
      );
    }
  };
  for (const [name, service] of Object.entries(config.compute.services)) {
    const app = service.app;
    if (app.type !== "container") continue;
    imageTag(`compute.services.${name}.app.tag`, app.repository, app.tag);
    for (const color of ["blue", "green"] as const) {
      const own = service.blueGreen?.[color].imageTag;
      if (own !== undefined) imageTag(`compute.services.${name}.blueGreen.${color}.imageTag`, app.repository, own);
    }
  }
  const workloads = config.workloads;
  if (workloads) {
    for (const [name, app] of Object.entries(workloads.apps)) {
      const repository = app.image.repository ?? `${config.project}-${name}`;
      const tag = app.image.tag ?? workloads.imageTag;
      const key = app.image.tag !== undefined ? `workloads.apps.${name}.image.tag` : "workloads.imageTag";
      imageTag(key, repository, tag);
    }
  }

  return errors;
}

/** Outside dev: placeholder account ids and ARNs, and names under reserved domains. */
function placeholderErrors(config: SystemConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  if (config.accountId !== undefined && isPlaceholderAccountId(config.accountId)) {
    errors.push(new ConfigError("accountId", config.accountId, "is a placeholder account id (AWS's documentation account, or a run of one digit)", "set the 12-digit id of the account these stacks are applied to"));
  }
  for (const [key, value] of strings(config)) {
    if (value.startsWith("arn:")) {
      if (isPlaceholderArn(value)) {
        errors.push(new ConfigError(key, value, "is a placeholder ARN (a documentation account or an all-zero id): it names no resource of yours", "give the ARN of the real resource in your account"));
      }
      continue;
    }
    for (const host of hostsIn(value)) {
      const reserved = reservedDomainOf(host);
      if (reserved) {
        errors.push(new ConfigError(key, value, `names ${host}, under the reserved domain ${reserved} (RFC 2606/6761): nobody can own it, Route 53 and ACM refuse it`, "use a domain you own"));
        break;
      }
    }
  }
  return errors;
}

/** The system's own ECR repositories, by name: their config key and tag mutability. */
function registryRepositories(config: SystemConfig): Map<string, { key: string; mutability: "IMMUTABLE" | "MUTABLE" }> {
  const map = new Map<string, { key: string; mutability: "IMMUTABLE" | "MUTABLE" }>();
  for (const [key, repo] of Object.entries(config.registry.repositories)) {
    const name = repo.repositoryName ?? `${config.project}-${config.environment}/${key}`;
    map.set(name, { key: `registry.repositories.${key}`, mutability: repo.imageTagMutability });
  }
  return map;
}

/** Every string in `value`, with its key path (`a.b[0].c`). */
export function strings(value: unknown, path = ""): [string, string][] {
  if (typeof value === "string") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  }
  return [];
}

/** The host names a setting holds: itself, the items of a list, or a URL's host. */
function hostsIn(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((token) => {
      if (/^https?:\/\//.test(token)) {
        try {
          return new URL(token).hostname;
        } catch {
          return "";
        }
      }
      return token.replace(/^\*\./, "");
    })
    .filter((token) => /^([a-z0-9-]+\.)+[a-z][a-z0-9-]*$/i.test(token));
}
