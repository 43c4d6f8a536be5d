import { z } from "zod";
import { validateRegion } from "../lib/availability-zones";
import { validateNonEmpty, validateRoleArn, validateTableName } from "../lib/aws-values";
import { validateBucketName } from "../lib/s3-bucket-name";
import { ConfigError, Problems, nested } from "../lib/errors";
import { StateBackendConfig, stateBackendNames } from "../constructs/state-backend/settings";
import { ForeignStateConfig, validateForeignState } from "../constructs/remote-state/settings";

/**
 * Where Terraform state lives: the backend of every stack (`backend`), the system's own
 * state bucket and lock table (`stateBackend`), and the states of other teams that the
 * stacks read (`foreignStates`). See docs/state.md.
 */

/** How concurrent runs are kept from writing one state at the same time. */
export const LOCKING_MODES = ["dynamodb", "lockfile", "both"] as const;
export type LockingMode = (typeof LOCKING_MODES)[number];

/** The Terraform release that brought S3-native locking (`use_lockfile`). */
export const LOCKFILE_MIN_TERRAFORM = "1.10.0";

/** The backend of every stack of a system. */
export const BackendConfigSchema = z.strictObject({
  type: z.enum(["local", "s3"]).optional().describe("`local`: state in `terraform.<stack>.tfstate` at the project root, for trying things out. `s3`: state in an S3 bucket, encrypted, locked. Default: \"s3\" when `bucket` is set, otherwise \"local\"."),
  bucket: z.string().optional().describe("The state bucket. Default: the bucket of this system's state stack (`stateBackend.bucketName`) when `stateBackend.enabled`; otherwise required with the s3 backend."),
  region: z.string().optional().describe("The bucket's region (and the lock table's). Default: the system's `region`; systems of different regions sharing a bucket must set it (synth refuses one bucket named in two regions)."),
  keyPrefix: z.string().default("").describe("A folder in front of every state key: `<keyPrefix>/<project>/<environment>/<stack>.tfstate`. Default: \"\" (keys start with the project)."),
  locking: z.enum(LOCKING_MODES).default("lockfile").describe(`\`lockfile\`: S3-native locking with a \`<key>.tflock\` object (Terraform >= ${LOCKFILE_MIN_TERRAFORM}, no table, no deprecation warning). \`dynamodb\`: a lock item in a DynamoDB table (the documents' setup; Terraform 1.11 warns at every \`init\` that \`dynamodb_table\` is deprecated). \`both\`: take both locks, to move from DynamoDB to lockfile without a gap.`),
  dynamodbTable: z.string().optional().describe("The DynamoDB lock table, for `dynamodb` and `both` locking. Default: the state stack's table (`stateBackend.lockTableName`); required when the system builds none (`stateBackend.enabled` false)."),
  kmsKeyId: z.string().optional().describe("A KMS key (ARN, id or alias ARN) that encrypts state objects. Default: `stateBackend.kmsKeyArn` when the state is in this system's own state bucket, else none: SSE-S3 (Terraform's S3 backend then asks for AES256 on every write, over the bucket's default encryption)."),
  profile: z.string().optional().describe("A profile of the shared AWS config for the backend's credentials. Default: the standard credential chain."),
  roleArn: z.string().optional().describe("An IAM role the backend assumes to read and write state, e.g. in a central state account. Default: none."),
});

export type BackendConfig = z.infer<typeof BackendConfigSchema>;
export type BackendConfigInput = z.input<typeof BackendConfigSchema>;

/** The backend of a stack, with every default filled in. */
export type ResolvedBackend = LocalBackendSettings | S3BackendSettings;

export interface LocalBackendSettings {
  readonly type: "local";
}

export interface S3BackendSettings {
  readonly type: "s3";
  readonly bucket: string;
  readonly region: string;
  readonly keyPrefix: string;
  readonly locking: LockingMode;
  /** Set when `locking` is `dynamodb` or `both`. */
  readonly dynamodbTable?: string;
  readonly kmsKeyId?: string;
  readonly profile?: string;
  readonly roleArn?: string;
}

/** What resolving needs from a system's configuration. */
interface StateSettings {
  readonly project: string;
  readonly environment: string;
  readonly region: string;
  readonly accountId?: string;
  readonly backend: BackendConfig;
  readonly stateBackend: StateBackendConfig;
}

/**
 * The backend every stack of the system gets, with the defaults filled in: the bucket
 * and table of the system's state stack, the system's region. Every setting is checked
 * even when another fails; throws a ConfigError naming the `backend.*` (or
 * `stateBackend.*`) key at fault, or ConfigErrors for several.
 */
export function resolveBackend(config: StateSettings): ResolvedBackend {
  const problems = new Problems();
  // A default the state stack's names give is checked there, and not again as a backend setting.
  const names = problems.value(() => stateBackendNames(config));
  const b = config.backend;
  const type = b.type ?? (b.bucket !== undefined ? "s3" : "local");
  const s3 = type === "s3" ? problems.value(() => nested("backend", () => resolveS3Backend(config, names))) : undefined;
  problems.throwIfAny();
  return s3 ?? { type: "local" };
}

/** The S3 backend's settings; keys relative to `backend`. `names` is undefined when the state stack's names are invalid. */
function resolveS3Backend(config: StateSettings, names: { bucketName: string; lockTableName: string } | undefined): S3BackendSettings {
  const problems = new Problems();
  const b = config.backend;
  const bucket = b.bucket ?? names?.bucketName;
  if (b.bucket !== undefined) problems.check(() => validateBucketName(b.bucket!, "bucket"));
  else if (!config.stateBackend.enabled) {
    problems.add(
      new ConfigError(
        "bucket",
        undefined,
        `names no state bucket: ${defaultNobodyCreates(names?.bucketName ?? "the state stack's bucket")}`,
        "name your existing bucket (backend.bucket, or INFRA_STATE_BUCKET), or set stateBackend.enabled to create one, then bootstrap it (docs/state.md)",
      ),
    );
  }
  const region = b.region ?? config.region;
  if (b.region !== undefined) problems.check(() => validateRegion(b.region!, "region"));
  problems.check(() => validateKeyPrefix(b.keyPrefix, "keyPrefix"));
  const dynamodbTable = problems.value(() => lockTable(config, names));
  if (b.kmsKeyId !== undefined) problems.check(() => validateNonEmpty(b.kmsKeyId!, "kmsKeyId", "a KMS key ARN, key id or alias ARN"));
  if (b.profile !== undefined) problems.check(() => validateNonEmpty(b.profile!, "profile", "the name of a profile in your AWS config"));
  if (b.roleArn !== undefined) problems.check(() => validateRoleArn(b.roleArn!, "roleArn"));
  problems.throwIfAny();
  return {
    type: "s3",
    bucket: bucket!,
    region,
    keyPrefix: b.keyPrefix,
    locking: b.locking,
    dynamodbTable,
    // Without a key, the backend asks S3 for AES256 on every write, whatever the bucket's default:
    // the system's own bucket's key must be named to apply to the state objects.
    kmsKeyId: b.kmsKeyId ?? (bucket === names?.bucketName ? config.stateBackend.kmsKeyArn : undefined),
    profile: b.profile,
    roleArn: b.roleArn,
  };
}

/**
 * Fails where the S3 backends of `configs` (every system and environment of one synth) name one
 * bucket in two regions: a bucket has one region, and Terraform's S3 backend refuses a bucket
 * in a region other than its `region`, so `init` fails for the stacks naming the other. It
 * happens when systems of different regions share a bucket (`INFRA_STATE_BUCKET`) without
 * `backend.region`, which defaults to each system's own region.
 */
export function sharedBucketRegionProblems(configs: readonly StateSettings[]): ConfigError[] {
  const errors: ConfigError[] = [];
  const first = new Map<string, { region: string; where: string }>();
  for (const config of configs) {
    const backend = resolveBackend(config);
    if (backend.type !== "s3") continue;
    const where = `${config.project}/${config.environment}`;
    const seen = first.get(backend.bucket);
    if (!seen) first.set(backend.bucket, { region: backend.region, where });
    else if (seen.region !== backend.region) {
      errors.push(
        new ConfigError(
          "backend.region",
          backend.region,
          `puts state in bucket ${backend.bucket} in ${backend.region}, but ${seen.where} puts it there in ${seen.region}: a bucket is in one region, and terraform init fails for the stacks naming another (backend.region defaults to the system's region)`,
          "set backend.region (or INFRA_STATE_REGION) to the bucket's region, for every system sharing it",
          where,
        ),
      );
    }
  }
  return errors;
}

/** The DynamoDB lock table of `dynamodb` and `both` locking (undefined with `lockfile`); keys relative to `backend`. */
function lockTable(config: StateSettings, names: { lockTableName: string } | undefined): string | undefined {
  const b = config.backend;
  if (b.locking === "lockfile") {
    if (b.dynamodbTable !== undefined) {
      throw new ConfigError(
        "dynamodbTable",
        b.dynamodbTable,
        'is only used with locking "dynamodb" or "both"; locking is "lockfile"',
        'remove it, or set locking to "both" while moving between the two',
      );
    }
    return undefined;
  }
  if (b.dynamodbTable === undefined && !config.stateBackend.enabled) {
    throw new ConfigError(
      "dynamodbTable",
      undefined,
      `locking "${b.locking}" needs a DynamoDB lock table, and none is named: ${defaultNobodyCreates(names?.lockTableName ?? "the state stack's table")}`,
      'name your existing table (backend.dynamodbTable, or INFRA_STATE_LOCK_TABLE), set stateBackend.enabled to create one, or use locking "lockfile", which needs no table',
    );
  }
  if (b.dynamodbTable !== undefined) validateTableName(b.dynamodbTable, "dynamodbTable");
  return b.dynamodbTable ?? names?.lockTableName;
}

/** Why the state stack's default bucket or table cannot serve: that stack is off. */
function defaultNobodyCreates(name: string): string {
  return `the default, ${name}, is created only by this system's state stack, which is off (stateBackend.enabled is false)`;
}

/** Checks every foreign state's settings, each on its own; errors name `foreignStates.<name>.<key>`. */
export function validateForeignStates(states: Readonly<Record<string, ForeignStateConfig>>): void {
  const problems = new Problems();
  for (const [name, state] of Object.entries(states)) {
    problems.check(() => nested(`foreignStates.${name}`, () => validateForeignState(state)));
  }
  problems.throwIfAny();
}

/**
 * The backend settings a pipeline gives through the environment, or undefined when it
 * gives none. They apply to every selected system and environment, over INFRA_CONFIG:
 *
 * | variable | setting |
 * |---|---|
 * | `INFRA_STATE_BACKEND` | `backend.type` (`local` or `s3`); `s3` is implied by `INFRA_STATE_BUCKET` |
 * | `INFRA_STATE_BUCKET` | `backend.bucket` |
 * | `INFRA_STATE_REGION` | `backend.region` |
 * | `INFRA_STATE_PROFILE` | `backend.profile` |
 * | `INFRA_STATE_ROLE_ARN` | `backend.roleArn` |
 * | `INFRA_STATE_LOCKING` | `backend.locking` |
 * | `INFRA_STATE_LOCK_TABLE` | `backend.dynamodbTable` |
 * | `INFRA_STATE_KEY_PREFIX` | `backend.keyPrefix` |
 *
 * Values are checked here, every one, so each error names its variable.
 */
export function backendFromEnv(env: NodeJS.ProcessEnv): BackendConfigInput | undefined {
  const read = (name: string) => env[name]?.trim() || undefined;
  const type = read("INFRA_STATE_BACKEND");
  const bucket = read("INFRA_STATE_BUCKET");
  const region = read("INFRA_STATE_REGION");
  const profile = read("INFRA_STATE_PROFILE");
  const roleArn = read("INFRA_STATE_ROLE_ARN");
  const locking = read("INFRA_STATE_LOCKING");
  const dynamodbTable = read("INFRA_STATE_LOCK_TABLE");
  const keyPrefix = read("INFRA_STATE_KEY_PREFIX");
  const problems = new Problems();
  if (type !== undefined && type !== "local" && type !== "s3") {
    problems.add(new ConfigError("INFRA_STATE_BACKEND", type, "is not a backend type", 'use "local" or "s3"'));
  }
  if (locking !== undefined && !(LOCKING_MODES as readonly string[]).includes(locking)) {
    problems.add(new ConfigError("INFRA_STATE_LOCKING", locking, "is not a locking mode", `use one of ${LOCKING_MODES.join(", ")}`));
  }
  if (bucket !== undefined) problems.check(() => validateBucketName(bucket, "INFRA_STATE_BUCKET"));
  if (region !== undefined) problems.check(() => validateRegion(region, "INFRA_STATE_REGION"));
  if (roleArn !== undefined) problems.check(() => validateRoleArn(roleArn, "INFRA_STATE_ROLE_ARN"));
  if (dynamodbTable !== undefined) problems.check(() => validateTableName(dynamodbTable, "INFRA_STATE_LOCK_TABLE"));
  if (keyPrefix !== undefined) problems.check(() => validateKeyPrefix(keyPrefix, "INFRA_STATE_KEY_PREFIX"));
  problems.throwIfAny();
  const layer: BackendConfigInput = {
    type: (type as "local" | "s3" | undefined) ?? (bucket !== undefined ? "s3" : undefined),
    bucket,
    region,
    profile,
    roleArn,
    locking: locking as LockingMode | undefined,
    dynamodbTable,
    keyPrefix,
  };
  const given = Object.fromEntries(Object.entries(layer).filter(([, v]) => v !== undefined)) as BackendConfigInput;
  return Object.keys(given).length > 0 ? given : undefined;
}

/** The state key of a stack: `<keyPrefix>/<project>/<environment>/<stack>.tfstate`. */
export function stateKey(keyPrefix: string, project: string, environment: string, stackName: string): string {
  return [keyPrefix, project, environment, `${stackName}.tfstate`].filter((part) => part !== "").join("/");
}

function validateKeyPrefix(prefix: string, key: string): void {
  if (prefix === "") return;
  if (prefix.startsWith("/") || prefix.endsWith("/") || prefix.includes("//") || !/^[A-Za-z0-9!_.*'()/-]+$/.test(prefix)) {
    throw new ConfigError(key, prefix, "is not a usable key folder", 'use folder names joined by "/", with no "/" at either end, e.g. "terraform" or "platform/state"');
  }
}
