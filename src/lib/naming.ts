import { ConfigError, Problems } from "./errors";

/**
 * The longest name AWS accepts for each kind of named resource. Names are checked at
 * synth, so a plan never fails on a name AWS would reject at apply.
 */
export const NAME_LIMITS = {
  iamRole: 64,
  iamPolicy: 128,
  instanceProfile: 128,
  logGroup: 512,
  loadBalancer: 32,
  targetGroup: 32,
  autoScalingGroup: 255,
  launchTemplate: 128,
  securityGroup: 255,
  s3Bucket: 63,
  dynamodbTable: 255,
  sqsQueue: 80,
  dbInstance: 63,
  dbSubnetGroup: 255,
  dbParameterGroup: 255,
  cacheReplicationGroup: 40,
  cacheSubnetGroup: 255,
  cacheParameterGroup: 255,
  ecrRepository: 256,
  secret: 512,
  kmsAlias: 256,
  snsTopic: 256,
  cloudwatchAlarm: 255,
  cloudtrail: 128,
  webAcl: 128,
  eksCluster: 100,
  /** A node group's name prefix: Terraform appends `-` and 26 characters, within EKS's 63. */
  eksNodeGroupPrefix: 36,
} as const;

export type NamedKind = keyof typeof NAME_LIMITS;

/** Prefixes AWS refuses at the start of a name of a kind: an ALB or NLB named `internal-...`. */
export const RESERVED_NAME_PREFIXES: Partial<Record<NamedKind, string>> = { loadBalancer: "internal-" };

/** The reserved prefix `name` starts with, if any. */
function reservedPrefixOf(kind: NamedKind, name: string): string | undefined {
  const reserved = RESERVED_NAME_PREFIXES[kind];
  return reserved && name.startsWith(reserved) ? reserved : undefined;
}

/**
 * Fails with a ConfigError naming `key` when `name` is longer than AWS allows for `kind`, or
 * starts with a prefix AWS reserves for it.
 */
export function checkName(kind: NamedKind, name: string, key: string, fix?: string): string {
  const limit = NAME_LIMITS[kind];
  const reserved = reservedPrefixOf(kind, name);
  if (reserved) {
    throw new ConfigError(key, name, `starts with "${reserved}", which AWS refuses at the start of a ${kind} name`, fix ?? `use a name that does not start with "${reserved}"`);
  }
  if (name.length > limit) {
    throw new ConfigError(
      key,
      name,
      `is ${name.length} characters; AWS allows at most ${limit} for a ${kind} name`,
      fix ?? `shorten it by ${name.length - limit} characters`,
    );
  }
  return name;
}

/** Keys of buckets, tables and repositories: they become construct ids and name parts. */
const ITEM_KEY = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Fails with a ConfigError naming `key` unless `value` is usable as an item key (a construct id and a name part). */
function checkItemKey(key: string, value: string): void {
  if (!ITEM_KEY.test(value)) {
    throw new ConfigError(key, value, "is not a usable key", "use lower case letters, digits and single hyphens, starting with a letter, e.g. documents");
  }
}

/**
 * Items named after their keys (buckets, tables, repositories), keyed `<collection>.<key>`: each
 * key usable, and each name valid (`validate`, keyed `<collection>.<key>.<nameKey>`): the given
 * one, or the one derived from the key once the key is usable. Every problem goes to `problems`.
 */
export function checkNamedItems<T>(
  problems: Problems,
  collection: string,
  items: Readonly<Record<string, T>>,
  naming: { readonly nameKey: string; readonly given: (item: T) => string | undefined; readonly nameOf: (key: string, item: T) => string },
  validate: (name: string, key: string) => void,
): void {
  for (const [key, item] of Object.entries(items)) {
    const keyValid = problems.check(() => checkItemKey(`${collection}.${key}`, key));
    if (keyValid || naming.given(item) !== undefined) problems.check(() => validate(naming.nameOf(key, item), `${collection}.${key}.${naming.nameKey}`));
  }
}

/** The longest of `names` and `more` (as a list of at most one), to check the longest name derived from them. */
export function longestName(names: readonly string[], ...more: string[]): string[] {
  const all = [...names, ...more];
  if (all.length === 0) return [];
  return [all.reduce((a, b) => (b.length > a.length ? b : a))];
}

/**
 * Names resources `<project>-<environment>-<parts...>`, and checks each name against the
 * AWS limit for its kind. An overlong name fails synth with an error that names the
 * `project` setting, since that is what the user shortens.
 */
export class Naming {
  /** `<project>-<environment>`, the prefix of every name. */
  public readonly prefix: string;

  /**
   * @param accountId the system's account, when known: S3 bucket names are unique across
   * all of AWS, so derived bucket names end in it (`<project>-<environment>-<parts>-<account>`).
   */
  constructor(
    public readonly project: string,
    public readonly environment: string,
    public readonly accountId?: string,
  ) {
    this.prefix = `${project}-${environment}`;
  }

  /**
   * `<prefix>-<parts joined by '-'>`, checked against the limit for `kind`; an S3 bucket's
   * ends in the account id when it is known.
   */
  public name(kind: NamedKind, ...parts: string[]): string {
    const account = kind === "s3Bucket" && this.accountId ? [this.accountId] : [];
    const name = [this.prefix, ...parts, ...account].filter((p) => p !== "").join("-");
    const reserved = reservedPrefixOf(kind, name);
    if (reserved) {
      throw new ConfigError("project", this.project, `makes the ${kind} name "${name}", and AWS refuses a ${kind} name that starts with "${reserved}"`, `choose a project name other than "${reserved.slice(0, -1)}"`);
    }
    const limit = NAME_LIMITS[kind];
    if (name.length > limit) {
      throw new ConfigError(
        "project",
        this.project,
        `makes the ${kind} name "${name}" ${name.length} characters long; AWS allows ${limit}`,
        `shorten project (or the environment name) by at least ${name.length - limit} characters`,
      );
    }
    return name;
  }
}

/**
 * The name of a workload app's Kubernetes objects (Deployment, Service, ServiceAccount,
 * HPA, PDB): `<project>-<app>`. Its pod identity association names the same service account.
 */
export function workloadName(project: string, app: string): string {
  return `${project}-${app}`;
}

/**
 * The SSM parameter through which the data layer tells the compute tier where its database
 * is: `/<project>-<environment>/database`, a JSON object `{host, port, name, secretArn}`.
 * Boot scripts read it by this name (they cannot hold Terraform references).
 */
export function databaseParameterName(naming: Naming): string {
  return `/${naming.prefix}/database`;
}
