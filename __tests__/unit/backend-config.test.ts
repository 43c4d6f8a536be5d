import { backendFromEnv, resolveBackend, stateKey } from "../../src/config/backend-config";
import { ConfigError, ConfigErrors } from "../../src/lib/errors";
import { Overrides } from "../../src/config/overrides";
import { selectionFromEnv } from "../../src/config/selection";
import { SYSTEMS } from "../../src/systems";
import { planHarness } from "../harness/synth";

const ALL = Object.keys(SYSTEMS);

/** The resolved backend of one system in one environment, with overrides. */
function backendOf(system: string, environment: string, overrides: Overrides = {}, env: NodeJS.ProcessEnv = {}) {
  const selection = { ...selectionFromEnv({ INFRA_SYSTEMS: system, INFRA_ENVIRONMENTS: environment, ...env }, ALL) };
  const [planned] = planHarness(selection, overrides);
  return resolveBackend(planned.config);
}

/** The first ConfigError `fn` throws, whether alone or among several. */
function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigErrors) return e.errors[0];
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("backend configuration", () => {
  it("is local for every embedded preset, in every environment, so synth needs no bucket", () => {
    for (const system of ALL) {
      for (const environment of ["dev", "staging", "prod"]) {
        expect(backendOf(system, environment)).toEqual({ type: "local" });
      }
    }
  });

  it("defaults an s3 backend to the system's own state bucket (ending in the account id), in its region, with S3-native locking", () => {
    expect(backendOf("algoitny", "prod", { algoitny: { all: { backend: { type: "s3" }, stateBackend: { enabled: true } } } })).toEqual({
      type: "s3",
      bucket: "algoitny-prod-terraform-state-517392846021",
      region: "ap-northeast-2",
      keyPrefix: "",
      locking: "lockfile",
      dynamodbTable: undefined,
      kmsKeyId: undefined,
      profile: undefined,
      roleArn: undefined,
    });
  });

  it("follows the state stack's names when they are set (ODE's prod keeps its document's names)", () => {
    const backend = backendOf("ode", "prod", { ode: { all: { backend: { type: "s3", locking: "dynamodb" } } } });
    expect(backend).toMatchObject({ bucket: "ode-terraform-state", dynamodbTable: "ode-terraform-locks" });
  });

  it("encrypts state objects with the own state bucket's KMS key, which the S3 backend would otherwise override with AES256", () => {
    const KEY = "arn:aws:kms:ap-northeast-2:517392846021:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    const withKey = (backend: object) => backendOf("algoitny", "prod", { algoitny: { all: { backend: { type: "s3", ...backend }, stateBackend: { enabled: true, kmsKeyArn: KEY } } } });
    expect(withKey({})).toMatchObject({ bucket: "algoitny-prod-terraform-state-517392846021", kmsKeyId: KEY });
    expect(withKey({ bucket: "acme-tf-state" })).toMatchObject({ bucket: "acme-tf-state", kmsKeyId: undefined });
    expect(withKey({ kmsKeyId: "alias/acme-state" })).toMatchObject({ kmsKeyId: "alias/acme-state" });
  });

  it("is s3 as soon as a bucket is given, and local when type says so explicitly", () => {
    expect(backendOf("muejam", "dev", { muejam: { all: { backend: { bucket: "acme-tf-state" } } } })).toMatchObject({ type: "s3", bucket: "acme-tf-state" });
    expect(backendOf("muejam", "dev", { muejam: { all: { backend: { type: "local", bucket: "acme-tf-state" } } } })).toEqual({ type: "local" });
  });

  it("drops the lock table with lockfile locking, and keeps it for both", () => {
    const lockfile = backendOf("duewin", "dev", { duewin: { all: { backend: { bucket: "duewin-state", locking: "lockfile" } } } });
    expect(lockfile).toMatchObject({ locking: "lockfile", dynamodbTable: undefined });
    const both = backendOf("duewin", "dev", { duewin: { all: { backend: { bucket: "duewin-state", locking: "both", dynamodbTable: "duewin-locks" } } } });
    expect(both).toMatchObject({ locking: "both", dynamodbTable: "duewin-locks" });
  });

  it.each(["dynamodb", "both"] as const)("refuses %s locking on a lock table nothing creates, naming the fix", (locking) => {
    const error = configErrorOf(() => backendOf("muejam", "prod", { muejam: { all: { backend: { bucket: "acme-terraform-state", locking } } } }));
    expect(error.key).toBe("backend.dynamodbTable");
    expect(error.scope).toBe("muejam/prod");
    expect(error.problem).toMatch(/the default, muejam-prod-terraform-locks, is created only by this system's state stack, which is off/);
    expect(error.fix).toMatch(/INFRA_STATE_LOCK_TABLE.*stateBackend.enabled.*"lockfile"/);
  });

  it("refuses an s3 backend with no bucket where no state stack creates the default one, naming the fix", () => {
    const error = configErrorOf(() => backendOf("muejam", "prod", {}, { INFRA_STATE_BACKEND: "s3" }));
    expect(error.key).toBe("backend.bucket");
    expect(error.scope).toBe("muejam/prod");
    expect(error.problem).toMatch(/the default, muejam-prod-terraform-state-\d{12}, is created only by this system's state stack, which is off/);
    expect(error.fix).toMatch(/INFRA_STATE_BUCKET.*stateBackend.enabled/);
  });

  it("accepts the default lock table where the system's own state stack creates it", () => {
    expect(backendOf("ode", "dev", { ode: { all: { backend: { type: "s3", locking: "both" } } } })).toMatchObject({ dynamodbTable: "ode-dev-terraform-locks" });
  });

  it("refuses a lock table with lockfile locking, naming the key", () => {
    const error = configErrorOf(() =>
      backendOf("duewin", "dev", { duewin: { all: { backend: { bucket: "duewin-state", locking: "lockfile", dynamodbTable: "locks" } } } }),
    );
    expect(error.key).toBe("backend.dynamodbTable");
    expect(error.scope).toBe("duewin/dev");
    expect(error.message).toMatch(/only used with locking "dynamodb" or "both"/);
  });

  it.each([
    [{ bucket: "Not_A_Bucket" }, "backend.bucket", /lower case letters/],
    [{ type: "s3", region: "mars-east-1" }, "backend.region", /not an AWS region/],
    [{ type: "s3", keyPrefix: "/terraform/" }, "backend.keyPrefix", /no "\/" at either end/],
    [{ type: "s3", roleArn: "state-role" }, "backend.roleArn", /not an IAM role ARN/],
    [{ type: "s3", locking: "dynamodb", dynamodbTable: "x" }, "backend.dynamodbTable", /not a DynamoDB table name/],
    [{ type: "s3", locking: "redis" }, "backend.locking", /not an accepted value/],
    [{ type: "s3", endpoint: "http://localhost" }, "backend.endpoint", /not a known setting/],
  ])("rejects backend %j with a ConfigError on %s", (backend, key, problem) => {
    const error = configErrorOf(() => backendOf("joblet", "prod", { joblet: { all: { backend: { bucket: "joblet-state", ...backend } } } } as unknown as Overrides));
    expect(error.key).toBe(key);
    expect(error.message).toMatch(problem);
  });

  it("checks the state stack's names even before a backend uses them", () => {
    const error = configErrorOf(() => backendOf("joblet", "dev", { joblet: { all: { stateBackend: { bucketName: "UPPER" } } } }));
    expect(error.key).toBe("stateBackend.bucketName");
  });
});

describe("state keys", () => {
  it("are <project>/<environment>/<stack>.tfstate, behind an optional folder", () => {
    expect(stateKey("", "ode", "prod", "ode-prod-network")).toBe("ode/prod/ode-prod-network.tfstate");
    expect(stateKey("platform/state", "ode", "prod", "ode-prod-network")).toBe("platform/state/ode/prod/ode-prod-network.tfstate");
  });
});

describe("backend settings from the environment", () => {
  it("gives nothing when no INFRA_STATE_* variable is set", () => {
    expect(backendFromEnv({ INFRA_SYSTEMS: "ode", INFRA_STATE_BUCKET: "  " })).toBeUndefined();
  });

  it("maps every variable to its setting; a bucket implies the s3 backend", () => {
    expect(
      backendFromEnv({
        INFRA_STATE_BUCKET: "acme-terraform-state",
        INFRA_STATE_REGION: "eu-west-1",
        INFRA_STATE_PROFILE: "ci",
        INFRA_STATE_ROLE_ARN: "arn:aws:iam::123456789012:role/terraform-state",
        INFRA_STATE_LOCKING: "both",
        INFRA_STATE_LOCK_TABLE: "acme-terraform-locks",
        INFRA_STATE_KEY_PREFIX: "platform",
      }),
    ).toEqual({
      type: "s3",
      bucket: "acme-terraform-state",
      region: "eu-west-1",
      profile: "ci",
      roleArn: "arn:aws:iam::123456789012:role/terraform-state",
      locking: "both",
      dynamodbTable: "acme-terraform-locks",
      keyPrefix: "platform",
    });
    expect(backendFromEnv({ INFRA_STATE_BACKEND: "local", INFRA_STATE_BUCKET: "acme-terraform-state" })).toMatchObject({ type: "local" });
  });

  it.each([
    [{ INFRA_STATE_BACKEND: "consul" }, "INFRA_STATE_BACKEND", /not a backend type/],
    [{ INFRA_STATE_LOCKING: "none" }, "INFRA_STATE_LOCKING", /not a locking mode/],
    [{ INFRA_STATE_BUCKET: "a" }, "INFRA_STATE_BUCKET", /S3 bucket names are 3 to 63/],
    [{ INFRA_STATE_REGION: "us-east-9" }, "INFRA_STATE_REGION", /not an AWS region/],
    [{ INFRA_STATE_ROLE_ARN: "arn:aws:iam::1:role/x" }, "INFRA_STATE_ROLE_ARN", /not an IAM role ARN/],
    [{ INFRA_STATE_KEY_PREFIX: "state/" }, "INFRA_STATE_KEY_PREFIX", /not a usable key folder/],
  ])("names the variable when %j is invalid", (env, key, problem) => {
    const error = configErrorOf(() => backendFromEnv(env));
    expect(error.key).toBe(key);
    expect(error.message).toMatch(problem);
  });

  it("applies to every selected system and environment, over INFRA_CONFIG", () => {
    const overrides: Overrides = { ode: { all: { backend: { bucket: "from-config-file", locking: "lockfile" } } } };
    const env = { INFRA_STATE_BUCKET: "from-pipeline", INFRA_STATE_REGION: "eu-central-1" };
    for (const environment of ["dev", "prod"]) {
      expect(backendOf("ode", environment, overrides, env)).toMatchObject({
        type: "s3",
        bucket: "from-pipeline",
        region: "eu-central-1",
        locking: "lockfile",
      });
    }
    expect(backendOf("joblet", "dev", {}, env)).toMatchObject({ type: "s3", bucket: "from-pipeline", locking: "lockfile", dynamodbTable: undefined });
  });
});

describe("a state bucket shared by systems of different regions (INFRA_STATE_BUCKET)", () => {
  // AlgoItny is in ap-northeast-2, Joblet in us-east-1: backend.region defaults to each system's own.
  const plan = (env: NodeJS.ProcessEnv) => () => planHarness(selectionFromEnv({ INFRA_SYSTEMS: "joblet,algoitny", INFRA_ENVIRONMENTS: "dev", ...env }, ALL));

  it("fails synth without backend.region, naming the bucket, both regions and the fix", () => {
    const error = configErrorOf(plan({ INFRA_STATE_BUCKET: "acme-terraform-state" }));
    expect(error.key).toBe("backend.region");
    expect(error.message).toMatch(
      /^algoitny\/dev: backend\.region = "ap-northeast-2"\n {2}Problem: puts state in bucket acme-terraform-state in ap-northeast-2, but joblet\/dev puts it there in us-east-1[\s\S]*Fix: set backend\.region \(or INFRA_STATE_REGION\) to the bucket's region/,
    );
  });

  it("passes with the bucket's region given, which every system's backend then names", () => {
    const planned = plan({ INFRA_STATE_BUCKET: "acme-terraform-state", INFRA_STATE_REGION: "us-east-1" })();
    expect(planned.map((p) => resolveBackend(p.config))).toEqual([expect.objectContaining({ region: "us-east-1" }), expect.objectContaining({ region: "us-east-1" })]);
  });
});
