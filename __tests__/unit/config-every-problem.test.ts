import { RedisConfigSchema } from "../../src/constructs/elasticache/settings";
import { RdsConfigSchema } from "../../src/constructs/rds/settings";
import { planSystems } from "../../src/app";
import { ConfigError, ConfigErrors, Problems, nested } from "../../src/lib/errors";
import { checkOverrides } from "../../src/config/overrides";
import { resolveSystemConfig } from "../../src/config/resolve";
import { selectionFromEnv } from "../../src/config/selection";
import { SystemConfigInput } from "../../src/config/system-config";
import { validateRedisSettings } from "../../src/constructs/elasticache/redis";
import { validateDatabaseSettings } from "../../src/constructs/rds/database";
import { SYSTEMS } from "../../src/systems";
import { HARNESS_TODAY, harnessInputs, withHarnessInputs } from "../harness/inputs";

/**
 * Every problem of a configuration comes in one synth: for each module's checks, a config
 * with independent mistakes fails once, naming each; a problem that only follows from
 * another (a range checked against a value already reported) is left out.
 */

/** The one ConfigErrors resolving `layer` over `system`'s prod preset (and the harness's inputs) throws. */
function rejection(system: string, layer: SystemConfigInput): ConfigErrors {
  try {
    resolveSystemConfig("prod", SYSTEMS[system].preset("prod"), harnessInputs(system, "prod"), layer);
  } catch (e) {
    if (e instanceof ConfigErrors) return e;
    throw e;
  }
  throw new Error("expected the configuration to be rejected");
}

/** The problems `layer` causes over `system`'s prod preset, by key. */
function problemsByKey(system: string, layer: SystemConfigInput): Map<string, ConfigError> {
  const errors = rejection(system, layer).errors;
  const byKey = new Map(errors.map((e) => [e.key, e]));
  expect(byKey.size).toBe(errors.length); // each key once
  return byKey;
}

/** Asserts `found` holds exactly `expected` (key -> problem), each located in `<system>/prod`, in one message. */
function expectExactly(system: string, layer: SystemConfigInput, expected: Record<string, RegExp>): void {
  const error = rejection(system, layer);
  const found = problemsByKey(system, layer);
  expect([...found.keys()].sort()).toEqual(Object.keys(expected).sort());
  for (const [key, problem] of Object.entries(expected)) {
    expect(found.get(key)!.problem).toMatch(problem);
    expect(error.message).toContain(`${system}/prod: ${key} = `);
  }
}

describe("Problems", () => {
  it("runs every check, and reports each failure", () => {
    const problems = new Problems();
    expect(problems.check(() => undefined)).toBe(true);
    expect(problems.check(() => { throw new ConfigError("a", 1, "is wrong", "fix a"); })).toBe(false);
    expect(problems.check(() => { throw new ConfigErrors([new ConfigError("b", 2, "is wrong", "fix b"), new ConfigError("c", 3, "is wrong", "fix c")]); })).toBe(false);
    expect(problems.errors.map((e) => e.key)).toEqual(["a", "b", "c"]);
    expect(() => problems.throwIfAny()).toThrow(ConfigErrors);
    expect(() => problems.throwIfAny()).toThrow(/a = 1[\s\S]*b = 2[\s\S]*c = 3/);
  });

  it("throws a single problem as a ConfigError, and nothing when all passed", () => {
    const one = new Problems();
    one.add(new ConfigError("a", 1, "is wrong", "fix a"));
    expect(() => one.throwIfAny()).toThrow(ConfigError);
    expect(() => new Problems().throwIfAny()).not.toThrow();
  });

  it("reports a key once: a second complaint about a value already reported is noise", () => {
    const problems = new Problems();
    problems.add(new ConfigError("a", 1, "is wrong", "fix a"));
    problems.add(new ConfigError("a", 1, "is also out of range", "fix a"));
    expect(problems.errors.map((e) => e.problem)).toEqual(["is wrong"]);
  });

  it("returns a check's value, or undefined when it failed", () => {
    const problems = new Problems();
    expect(problems.value(() => 42)).toBe(42);
    expect(problems.value((): number => { throw new ConfigError("a", 1, "is wrong", "fix a"); })).toBeUndefined();
  });

  it("throws an error that is not a configuration problem, unless a problem was already found", () => {
    expect(() => new Problems().check(() => { throw new TypeError("a bug"); })).toThrow(TypeError);
    const problems = new Problems();
    problems.add(new ConfigError("a", 1, "is wrong", "fix a"));
    expect(problems.check(() => { throw new TypeError("broke on the value reported"); })).toBe(false);
    expect(problems.errors).toHaveLength(1);
  });

  it("is nested: nested() re-keys every error of a ConfigErrors under the parent", () => {
    const fn = () => nested("compute", () => { throw new ConfigErrors([new ConfigError("a", 1, "x", "y"), new ConfigError("", 2, "x", "y")]); });
    try {
      fn();
      throw new Error("expected ConfigErrors");
    } catch (e) {
      expect((e as ConfigErrors).errors.map((x) => x.key)).toEqual(["compute.a", "compute"]);
    }
  });
});

describe("every problem of a system's configuration at once", () => {
  it("compute: mistakes in two services, without the desired capacity that only follows from a bad minSize", () => {
    expectExactly(
      "algoitny",
      {
        compute: {
          services: {
            api: { minSize: 12 },
            worker: { schedules: { offpeak: { timeZone: "Mars/Olympus" } } },
          },
          loadBalancer: { ingressCidrs: ["10.0.0.0/33"] },
        },
      } as SystemConfigInput,
      {
        // desiredCapacity (2) is outside [12, 10] too, but only because minSize is wrong
        "compute.services.api.minSize": /greater than maxSize \(10\)/,
        "compute.services.worker.schedules.offpeak.timeZone": /not an IANA time zone/,
        "compute.loadBalancer.ingressCidrs[0]": /.+/,
      },
    );
  });

  it("data tier: rds, redis and storage together, without Performance Insights on an instance class already reported", () => {
    expectExactly(
      "ode",
      {
        rds: { instanceClass: "t3.medium", performanceInsights: { enabled: true } },
        redis: { nodeType: "t3.micro" },
        storage: { buckets: { documents: { lifecycle: { expirationDays: 60 } }, Scratch: {} } },
      } as SystemConfigInput,
      {
        "rds.instanceClass": /not an RDS instance class/,
        "redis.nodeType": /not an ElastiCache node type/,
        "storage.buckets.documents.lifecycle.expirationDays": /not after the STANDARD_IA transition \(day 90\)/,
        // its default bucket name is made from the key, and is not reported again
        "storage.buckets.Scratch": /not a usable key/,
      },
    );
  });

  it("data tier: secrets' names are not checked against a prefix already reported", () => {
    expectExactly("duewin", { secrets: { prefix: "bad prefix!" }, registry: { repositories: { backend: { encryption: "AES256", kmsKeyArn: "arn:aws:kms:us-east-1:517392846021:key/1234abcd-12ab-34cd-56ef-1234567890ab" } } } } as SystemConfigInput, {
      "secrets.prefix": /.+/,
      "registry.repositories.backend.kmsKeyArn": /only used with encryption "KMS"/,
    });
  });

  it("backend: every bad setting", () => {
    expectExactly("muejam", { backend: { type: "s3", bucket: "Bad_Bucket", keyPrefix: "/state/", roleArn: "deployer" } }, {
      "backend.bucket": /.+/,
      "backend.keyPrefix": /not a usable key folder/,
      "backend.roleArn": /not an IAM role ARN/,
    });
  });

  it("backend: a default taken from the state stack's names is reported there only", () => {
    expectExactly("muejam", { stateBackend: { enabled: true, bucketName: "Bad_Bucket" }, backend: { type: "s3", locking: "lockfile" } }, {
      "stateBackend.bucketName": /.+/,
    });
  });

  it("foreign states: every bad setting of every state", () => {
    expectExactly(
      "muejam",
      {
        foreignStates: {
          vpc: { bucket: "platform-state", key: "/vpc/terraform.tfstate", roleArn: "reader" },
          dns: { bucket: "platform-state", key: "dns/terraform.tfstate", outputs: { zoneId: "1zone" } },
        },
      },
      {
        "foreignStates.vpc.key": /without a leading '\/'/,
        "foreignStates.vpc.roleArn": /not an IAM role ARN/,
        "foreignStates.dns.outputs.zoneId": /not a Terraform output name/,
      },
    );
  });

  it("edge: the distribution, a record and the alarm topic together", () => {
    expectExactly(
      "duewin",
      {
        edge: {
          cdn: { webAclArn: "my-acl" },
          loadBalancerRecords: { api: { healthCheck: { path: "health" } } },
          alarmTopicArn: "arn:aws:sns:eu-west-1:517392846021:alarms",
        },
      },
      {
        "edge.cdn.webAclArn": /not the ARN of a WAF web ACL/,
        "edge.loadBalancerRecords.api.healthCheck.path": /does not start with \//,
        "edge.alarmTopicArn": /not an SNS topic ARN in us-east-1/,
      },
    );
  });

  it("edge: a placeholder zone is reported once, not again for each name inside it", () => {
    expectExactly("duewin", { edge: { hostedZone: { name: "duewin.example.com" } } }, {
      "edge.hostedZone.name": /reserved example domain/,
    });
  });

  it("eks: the version, a node group and an add-on together, without the desired size that only follows from a bad minSize", () => {
    expectExactly("ode", { eks: { version: "1.20", nodeGroups: { worker: { minSize: 12 } }, addons: { Metrics_Server: {} } } } as SystemConfigInput, {
      "eks.version": /not a Kubernetes version EKS supports/,
      "eks.nodeGroups.worker.minSize": /greater than maxSize \(10\)/,
      "eks.addons.Metrics_Server": /not an EKS add-on name/,
    });
  });

  it("workloads: mistakes in two apps, one complaint per variable", () => {
    expectExactly("ode", { workloads: { apps: { api: { metricsPort: 8080 }, viewer: { env: { "1PASSWORD": "hunter2" } } } } } as SystemConfigInput, {
      "workloads.apps.api.metricsPort": /same as port/,
      // the name is invalid and looks like a secret: one complaint, about the name
      "workloads.apps.viewer.env.1PASSWORD": /not a valid environment variable name/,
    });
  });

  it("workloads: a malformed cpu request, without the autoscaler's complaint that the app requests no cpu", () => {
    expectExactly("ode", { workloads: { apps: { api: { resources: { requests: { cpu: "two" } } } } } } as SystemConfigInput, {
      "workloads.apps.api.resources.requests.cpu": /must be a Kubernetes quantity/,
    });
  });

  it("redis: a misspelled authentication, without the complaint about a URL secret that only follows from its default (iam)", () => {
    expectExactly("duewin", { redis: { users: { app: { authentication: "passwd" } } } } as unknown as SystemConfigInput, {
      "redis.users.app.authentication": /is not an accepted value/,
    });
  });

  it("compute: a malformed minSize, without a schedule's capacity checked against the default it left, but with the schedule's own mistake", () => {
    expectExactly("algoitny", { compute: { services: { worker: { minSize: -1, schedules: { offpeak: { recurrence: "nightly" } } } } } } as SystemConfigInput, {
      "compute.services.worker.minSize": /./,
      "compute.services.worker.schedules.offpeak.recurrence": /not a five-field cron expression/,
    });
  });

  it("pod grants and secret certificates: every reference to something that does not exist", () => {
    expectExactly(
      "ode",
      { workloads: { apps: { api: { serviceAccountRoleArn: "arn:aws:iam::517392846021:role/api" }, viewer: { aws: { buckets: { thumbnails: "read" } } } } } } as SystemConfigInput,
      {
        "workloads.apps.api.serviceAccountRoleArn": /set as well as aws/,
        "workloads.apps.viewer.aws.buckets.thumbnails": /not a bucket of storage.buckets/,
      },
    );
    expectExactly("joblet", { audit: { certificateExpiry: { secretCertificates: { publishedBy: "agent", secrets: ["joblet/ca-cert", "ca cert"] } } } } as SystemConfigInput, {
      "audit.certificateExpiry.secretCertificates.publishedBy": /not a compute service/,
      "audit.certificateExpiry.secretCertificates.secrets[1]": /not a secret name/,
    });
  });

  it("across modules: compute, data and edge problems of one system in one error", () => {
    const found = problemsByKey("duewin", {
      compute: { services: { app: { maxSize: 1 } } },
      rds: { masterUsername: "rdsadmin" },
      redis: { snapshotRetentionDays: 40 },
      edge: { cdn: { webAclArn: "my-acl" } },
    } as SystemConfigInput);
    expect([...found.keys()].sort()).toEqual(["compute.services.app.minSize", "edge.cdn.webAclArn", "rds.masterUsername", "redis.snapshotRetentionDays"]);
  });
});

describe("AWS's rules, in the same round as the configuration's own checks", () => {
  it("reports a machine type and an engine past its support together with a check across keys, each setting once", () => {
    const layer = {
      compute: { services: { app: { instanceType: "t3.smal", minSize: 12 } } },
      rds: { instanceClass: "t3.medium", engineVersion: "8.0" },
    } as SystemConfigInput;
    let errors: readonly ConfigError[] = [];
    try {
      planSystems({ systems: ["duewin"], environments: ["prod"] }, withHarnessInputs({ systems: ["duewin"], environments: ["prod"] }, { duewin: { prod: layer } }), { today: HARNESS_TODAY });
    } catch (e) {
      errors = (e as ConfigErrors).errors;
    }
    const byKey = new Map(errors.map((e) => [e.key, e]));
    // rds.instanceClass: the module's check and the machine-type rule both refuse it; it is reported once
    expect(errors.map((e) => e.key).sort()).toEqual(["compute.services.app.instanceType", "compute.services.app.minSize", "rds.engineVersion", "rds.instanceClass"]);
    expect(byKey.get("compute.services.app.instanceType")!.scope).toBe("duewin/prod");
    expect(byKey.get("compute.services.app.instanceType")!.fix).toMatch(/did you mean "t3.small"/);
    expect(byKey.get("rds.engineVersion")!.problem).toMatch(/standard support ended on 2026-07-31/);
    expect(byKey.get("rds.instanceClass")!.problem).toMatch(/not an RDS instance class/);
  });
});

describe("the database and Redis validators (also run by the constructs)", () => {
  const database = RdsConfigSchema.parse({ engine: "postgres", engineVersion: "15", performanceInsights: { enabled: false }, logRetentionInDays: 30 });

  it("lists every bad database setting, without a storage maximum checked against a bad allocation", () => {
    try {
      validateDatabaseSettings({ ...database, instanceClass: "large", allocatedStorage: 10, maxAllocatedStorage: 5, backupRetentionDays: 40 }, { subnetIds: ["a", "b"] });
      throw new Error("expected ConfigErrors");
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigErrors);
      expect((e as ConfigErrors).errors.map((x) => x.key)).toEqual(["instanceClass", "allocatedStorage", "backupRetentionDays"]);
    }
  });

  it("lists every bad Redis setting, without Multi-AZ checked against a bad node count", () => {
    const redis = RedisConfigSchema.parse({ engineVersion: "7.0", numCacheClusters: 2, multiAz: true, nodeType: "cache.t3.micro", slowLogRetentionInDays: 30 });
    const wiring = { subnetIds: ["a"] };
    try {
      validateRedisSettings({ ...redis, numCacheClusters: 0, nodeType: "t3.micro", snapshotRetentionDays: 40 }, wiring);
      throw new Error("expected ConfigErrors");
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigErrors);
      expect((e as ConfigErrors).errors.map((x) => x.key)).toEqual(["numCacheClusters", "nodeType", "snapshotRetentionDays"]);
    }
    expect(validateRedisSettings(redis, wiring)).toMatch(/^redis7/);
  });
});

describe("the selection and the overrides file", () => {
  /** The keys of the problems `fn` throws together. */
  function keysOf(fn: () => unknown): string[] {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigErrors);
      return (e as ConfigErrors).errors.map((x) => x.key);
    }
    throw new Error("expected ConfigErrors");
  }

  it("reports every bad INFRA_* variable, and every unknown name in one", () => {
    const env = { INFRA_SYSTEMS: "ode,acme,odee", INFRA_ENVIRONMENTS: "qa", INFRA_STATE_LOCKING: "table", INFRA_STATE_KEY_PREFIX: "/state" };
    expect(keysOf(() => selectionFromEnv(env, ["muejam", "ode"]))).toEqual(["INFRA_SYSTEMS", "INFRA_ENVIRONMENTS", "INFRA_STATE_LOCKING", "INFRA_STATE_KEY_PREFIX"]);
    expect(() => selectionFromEnv(env, ["muejam", "ode"])).toThrow(/names "acme", "odee", which are not known systems/);
  });

  it("reports every bad entry of an overrides file", () => {
    expect(keysOf(() => checkOverrides({ odd: {}, ode: { qa: {}, prod: 3, dev: {} } }, ["ode"], "INFRA_CONFIG"))).toEqual([
      "INFRA_CONFIG: odd",
      "INFRA_CONFIG: ode.qa",
      "INFRA_CONFIG: ode.prod",
    ]);
  });
});
