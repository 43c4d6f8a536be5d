import { planSystems } from "../../src/app";
import { checkAwsRules } from "../../src/config/aws-rules";
import { ConfigError, ConfigErrors } from "../../src/lib/errors";
import { Overrides } from "../../src/config/overrides";
import { resolveSystemConfig } from "../../src/config/resolve";
import { configuredNames } from "../../src/config/unique-names";
import { SystemConfigInput } from "../../src/config/system-config";
import { EKS_KUBERNETES_CALENDAR, ELASTICACHE_REDIS_CALENDAR, supportState } from "../../src/lib/support-calendar";
import { isPlaceholderAccountId, isPlaceholderArn, reservedDomainOf } from "../../src/lib/placeholders";
import { SYSTEMS } from "../../src/systems";
import { HARNESS_ACCOUNTS, HARNESS_TODAY, harnessInputs, withHarnessInputs } from "../harness/inputs";
import { planHarness } from "../harness/synth";

/** The problems planning `system` in `environment` with `layer` over the harness inputs reports. */
function problems(system: string, environment: string, layer: SystemConfigInput, today = HARNESS_TODAY): ConfigError[] {
  try {
    planSystems({ systems: [system], environments: [environment] }, withHarnessInputs({ systems: [system], environments: [environment] }, { [system]: { [environment]: layer } }), { today });
  } catch (e) {
    if (e instanceof ConfigErrors) return [...e.errors];
    throw e;
  }
  throw new Error("expected the configuration to be rejected");
}

/** The one problem reported. */
function problem(system: string, environment: string, layer: SystemConfigInput, today = HARNESS_TODAY): ConfigError {
  const found = problems(system, environment, layer, today);
  expect(found.map((e) => e.message)).toHaveLength(1);
  return found[0];
}

/** ODE's prod configuration with `layer`, resolved (required inputs from the harness). */
function ode(layer: SystemConfigInput = {}) {
  return resolveSystemConfig("prod", SYSTEMS.ode.preset("prod"), harnessInputs("ode", "prod"), layer);
}

describe("support calendars (a fixed clock: 2026-11-30 unless a test says otherwise)", () => {
  it("refuses EKS 1.29, past its extended support: EKS no longer creates it", () => {
    const e = problem("ode", "prod", { eks: { version: "1.29" } });
    expect(e.key).toBe("eks.version");
    expect(e.value).toBe("1.29");
    expect(e.problem).toBe(
      "is Kubernetes 1.29 on EKS, whose standard support ended on 2025-03-23 and its extended support on 2026-03-23: AWS no longer creates it; today is 2026-11-30",
    );
    expect(e.fix).toMatch(/^use a version in standard support: "1\.34", "1\.35"$/);
  });

  it("refuses a version in paid extended support, saying until when", () => {
    expect(problem("ode", "prod", { eks: { version: "1.32" } }).problem).toMatch(/standard support ended on 2026-03-23 \(it is in paid extended support until 2027-03-23\)/);
  });

  it("warns within 90 days of the end of standard support, and says nothing before", () => {
    expect(checkAwsRules(ode({ eks: { version: "1.34" } }), { today: HARNESS_TODAY })).toEqual({
      errors: [],
      warnings: ['eks.version = "1.34": Kubernetes 1.34 on EKS leaves standard support on 2026-12-02, in 2 days. Plan the upgrade: use a version in standard support: "1.34", "1.35".'],
    });
    expect(checkAwsRules(ode(), { today: HARNESS_TODAY })).toEqual({ errors: [], warnings: [] });
  });

  it("reads the calendar on the day it is given: 1.29 was fine, then warned, in early 2025", () => {
    const config = ode({ eks: { version: "1.29" } });
    expect(checkAwsRules(config, { today: new Date("2024-10-01T00:00:00Z") })).toEqual({ errors: [], warnings: [] });
    expect(checkAwsRules(config, { today: new Date("2025-01-01T00:00:00Z") }).warnings).toEqual([expect.stringMatching(/leaves standard support on 2025-03-23, in 81 days/)]);
    expect(checkAwsRules(config, { today: new Date("2025-03-24T00:00:00Z") }).errors).toHaveLength(1);
  });

  it("refuses RDS for MySQL 8.0 (standard support ended 2026-07-31) and warns on PostgreSQL 14 (ends 2027-02-28)", () => {
    const e = problem("duewin", "prod", { rds: { engineVersion: "8.0" } });
    expect(e.key).toBe("rds.engineVersion");
    expect(e.problem).toMatch(/^is RDS for mysql 8\.0, whose standard support ended on 2026-07-31 \(it is in paid extended support until 2029-07-31\)/);
    expect(e.fix).toBe('use a major version in RDS standard support: "8.4"');
    const pg14 = checkAwsRules(ode({ rds: { engineVersion: "14" } }), { today: HARNESS_TODAY });
    expect(pg14.errors).toEqual([]);
    expect(pg14.warnings).toEqual([expect.stringMatching(/^rds\.engineVersion = "14": RDS for postgres 14 leaves standard support on 2027-02-28, in 90 days/)]);
  });

  it("knows ElastiCache Redis OSS 6.2 leaves standard support on 2027-01-31 and 7.x has no announced end", () => {
    expect(supportState(ELASTICACHE_REDIS_CALENDAR["6.2"], HARNESS_TODAY)).toEqual({ state: "ending", daysLeft: 62 });
    expect(supportState(ELASTICACHE_REDIS_CALENDAR["7.0"], HARNESS_TODAY)).toEqual({ state: "standard", daysLeft: undefined });
  });

  it("runs every preset on versions in standard support today", () => {
    const planned = planHarness({ systems: Object.keys(SYSTEMS), environments: ["dev", "staging", "prod"] });
    expect(planned.flatMap((p) => p.warnings)).toEqual([]);
    expect(new Set(planned.map((p) => p.config.eks?.version).filter(Boolean))).toEqual(new Set(["1.35"]));
    expect(supportState(EKS_KUBERNETES_CALENDAR["1.35"], HARNESS_TODAY).state).toBe("standard");
  });
});

describe("machine types", () => {
  it.each([
    ["muejam", { compute: { services: { app: { instanceType: "t3.mediun" } } } }, "compute.services.app.instanceType", "t3.mediun", '"t3.medium"'],
    ["algoitny", { compute: { services: { worker: { spot: { instanceTypes: ["t3a.larg"] } } } } }, "compute.services.worker.spot.instanceTypes[0]", "t3a.larg", '"t3a.large"'],
    ["ode", { eks: { nodeGroups: { worker: { instanceTypes: ["m5.xlarg"] } } } }, "eks.nodeGroups.worker.instanceTypes[0]", "m5.xlarg", '"m5.xlarge"'],
    ["duewin", { redis: { nodeType: "cache.t3.mediun" } }, "redis.nodeType", "cache.t3.mediun", '"cache.t3.medium"'],
    ["duewin", { rds: { instanceClass: "db.t3.mediun" } }, "rds.instanceClass", "db.t3.mediun", '"db.t3.medium"'],
  ] as [string, SystemConfigInput, string, string, string][])("refuses %s's %s with the closest known type", (system, layer, key, value, suggestion) => {
    const e = problem(system, "prod", layer);
    expect(e.key).toBe(key);
    expect(e.value).toBe(value);
    expect(e.problem).toMatch(/is not an? (EC2 instance type|ElastiCache node type|RDS DB instance class) this project knows/);
    expect(e.fix).toContain(`did you mean ${suggestion}?`);
  });
});

describe("out-of-range values", () => {
  it.each([
    ["muejam", { compute: { services: { app: { scaling: { targetTracking: { cpu: { targetValue: 170 } } } } } } }, "compute.services.app.scaling.targetTracking.cpu.targetValue", /1-100/],
    ["algoitny", { compute: { services: { api: { scaling: { targetTracking: { requestCountPerTarget: { targetValue: -5 } } } } } } }, "compute.services.api.scaling.targetTracking.requestCountPerTarget.targetValue", /at least 1/],
    ["joblet", { audit: { secretAccessAlarm: { periodSeconds: 45 } } }, "audit.secretAccessAlarm.periodSeconds", /10, 30 or a multiple of 60/],
    ["joblet", { audit: { trail: { transitionToGlacierDays: 90, expirationDays: 30 } } }, "audit.trail.expirationDays", /after the Glacier transition/],
    ["joblet", { audit: { certificateExpiry: { thresholdDays: 400 } } }, "audit.certificateExpiry.thresholdDays", /397/],
    ["algoitny", { registry: { repositories: { algoitny: { keepLastImages: 0 } } } }, "registry.repositories.algoitny.keepLastImages", /1/],
    ["ode", { network: { flowLogs: { retentionInDays: 45 } } }, "network.flowLogs.retentionInDays", /CloudWatch retention periods/],
    ["ode", { rds: { performanceInsights: { retentionDays: 30 } } }, "rds.performanceInsights.retentionDays", /7, a multiple of 31/],
    ["ode", { network: { privateSubnets: { prefixLength: 30 } } }, "network.privateSubnets.prefixLength", /16-28/],
    ["ode", { eks: { nodeGroups: { worker: { maxSize: 1000 } } } }, "eks.nodeGroups.worker.maxSize", /450/],
  ] as [string, SystemConfigInput, string, RegExp][])("refuses %s's out-of-range %s", (system, layer, key, message) => {
    const e = problem(system, "prod", layer);
    expect(e.key).toBe(key);
    expect(e.problem).toMatch(message);
  });
});

describe("reserved and placeholder values", () => {
  it("knows the reserved domains and placeholder accounts", () => {
    expect(reservedDomainOf("api.ode.example.com")).toBe("example.com");
    expect(reservedDomainOf("shop.test")).toBe(".test");
    expect(reservedDomainOf("x.localhost")).toBe(".localhost");
    expect(reservedDomainOf("example.co")).toBeUndefined();
    expect(["123456789012", "000000000000", "111111111111"].every(isPlaceholderAccountId)).toBe(true);
    expect(isPlaceholderAccountId(HARNESS_ACCOUNTS.prod)).toBe(false);
    expect(isPlaceholderArn("arn:aws:acm:us-east-1:517392846021:certificate/00000000-0000-0000-0000-000000000000")).toBe(true);
    expect(isPlaceholderArn("arn:aws:iam::123456789012:role/x")).toBe(true);
  });

  it("refuses a placeholder account id outside dev", () => {
    const e = problem("joblet", "prod", { accountId: "123456789012" });
    expect(e.key).toBe("accountId");
    expect(e.problem).toMatch(/placeholder account id/);
  });

  it("refuses a placeholder ARN outside dev, naming its key", () => {
    const arn = "arn:aws:acm:us-east-1:517392846021:certificate/00000000-0000-0000-0000-000000000000";
    const e = problem("muejam", "prod", { compute: { loadBalancer: { tls: { certificateArn: arn } } } });
    expect(e.key).toBe("compute.loadBalancer.tls.certificateArn");
    expect(e.value).toBe(arn);
  });

  it("refuses reserved domains anywhere in the configuration outside dev, and allows them in dev", () => {
    const ingress = { workloads: { ingress: { rules: [{ app: "api", host: "api.ode.example.com" }, { app: "viewer" }] } } };
    const e = problem("ode", "prod", ingress);
    expect(e.key).toBe("workloads.ingress.rules[0].host");
    expect(e.problem).toMatch(/under the reserved domain example\.com \(RFC 2606\/6761\)/);
    const env = problem("algoitny", "staging", { compute: { services: { api: { app: { type: "container", environment: { ALLOWED_HOSTS: "api.algoitny.test,*.algoitny.test" } } } } } });
    expect(env.key).toBe("compute.services.api.app.environment.ALLOWED_HOSTS");
    expect(env.problem).toMatch(/reserved domain \.test/);
    expect(planHarness({ systems: ["ode"], environments: ["dev"] }, { ode: { dev: ingress } })).toHaveLength(1);
  });
});

describe("image tags", () => {
  it("never consumes latest from an IMMUTABLE repository, in any environment", () => {
    // Both of its services run the backend's image: the web servers and the game scheduler.
    const [e, scheduler] = problems("duewin", "dev", { registry: { repositories: { backend: { imageTagMutability: "IMMUTABLE" } } } });
    expect([e.key, scheduler.key]).toEqual(["compute.services.app.app.tag", "compute.services.scheduler.app.tag"]);
    expect(e.problem).toMatch(/the repository duewin-dev-backend \(registry\.repositories\.backend\) is IMMUTABLE: ECR refuses a second push of "latest"/);
    const pod = problem("ode", "dev", { registry: { repositories: { viewer: { imageTagMutability: "IMMUTABLE" } } } });
    expect(pod.key).toBe("workloads.imageTag");
  });

  it("lets dev pull latest from its MUTABLE repositories, and runs the configured tag outside dev", () => {
    const [dev] = planHarness({ systems: ["muejam"], environments: ["dev"] });
    expect(dev.config.registry.repositories.backend.imageTagMutability).toBe("MUTABLE");
    const [prod] = planHarness({ systems: ["muejam"], environments: ["prod"] });
    expect(prod.config.registry.repositories.backend.imageTagMutability).toBe("IMMUTABLE");
    expect(prod.config.compute.services.app.app).toMatchObject({ tag: "1.0.0-harness" });
  });
});

describe("required inputs", () => {
  it("lists everything a prod synth needs from the user, at once", () => {
    let errors: ConfigError[] = [];
    try {
      planSystems({ systems: Object.keys(SYSTEMS), environments: ["prod"] }, {}, { today: HARNESS_TODAY });
    } catch (e) {
      errors = [...(e as ConfigErrors).errors];
    }
    expect(errors.map((e) => `${e.scope}: ${e.key}`)).toEqual([
      "joblet/prod: accountId",
      "algoitny/prod: accountId",
      "algoitny/prod: compute.loadBalancer.tls.certificateArn",
      "algoitny/prod: compute.services.api.app.tag",
      "algoitny/prod: compute.services.worker.app.tag",
      "muejam/prod: accountId",
      "muejam/prod: edge.hostedZone",
      "muejam/prod: compute.loadBalancer.tls.certificateArn",
      "muejam/prod: compute.services.app.app.tag",
      "duewin/prod: accountId",
      "duewin/prod: edge.hostedZone",
      "duewin/prod: compute.loadBalancer.tls.certificateArn",
      "duewin/prod: compute.services.app.app.tag",
      "duewin/prod: compute.services.scheduler.app.tag",
      "ode/prod: accountId",
      "ode/prod: workloads.imageTag",
      "ode/prod: eks.endpoint.privateAccessCidrs",
      "ode/prod: workloads.ingress.certificateArn",
    ]);
    expect(errors.every((e) => e.value === undefined && /required/.test(e.problem) && e.fix.length > 0)).toBe(true);
  });

  it("asks who reaches a private-only API endpoint only where a workloads stack must reach it", () => {
    const keysOf = (environment: string, overrides: Record<string, unknown>) => {
      try {
        planSystems({ systems: ["ode"], environments: [environment] }, { ode: { [environment]: overrides } }, { today: HARNESS_TODAY });
        return [];
      } catch (e) {
        return (e as ConfigErrors).errors.map((error) => error.key);
      }
    };
    const cidrs = { eks: { endpoint: { privateAccessCidrs: ["10.8.0.0/24"] } } };
    expect(keysOf("staging", {})).toContain("eks.endpoint.privateAccessCidrs");
    expect(keysOf("staging", cidrs)).not.toContain("eks.endpoint.privateAccessCidrs");
    expect(keysOf("staging", { eks: { endpoint: { publicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } } })).not.toContain("eks.endpoint.privateAccessCidrs");
  });

  it("needs none of them in dev", () => {
    expect(planSystems({ systems: Object.keys(SYSTEMS), environments: ["dev"] }, {}, { today: HARNESS_TODAY })).toHaveLength(5);
  });

  it("carries no placeholder in the presets: no example domain, no made-up ARN or account", () => {
    for (const system of Object.values(SYSTEMS)) {
      for (const environment of ["staging", "prod"] as const) {
        const text = JSON.stringify(system.preset(environment));
        expect(text).not.toMatch(/example\.(com|net|org)|arn:aws|\b\d{12}\b/);
      }
    }
  });
});

describe("unique names", () => {
  const both = { systems: ["joblet"], environments: ["dev", "prod"] };

  it("refuses Joblet's fixed secret and table names in two environments that may share an account, naming both keys", () => {
    const overrides: Overrides = { joblet: { dev: { accountId: undefined } } };
    let errors: ConfigError[] = [];
    try {
      planSystems(both, { joblet: { prod: harnessInputs("joblet", "prod"), ...overrides.joblet } }, { today: HARNESS_TODAY });
    } catch (e) {
      errors = [...(e as ConfigErrors).errors];
    }
    expect(errors.map((e) => e.key).sort()).toEqual([...["ca-cert", "ca-key", "client-cert", "client-key", "first-boot"].map((n) => `secrets.entries.joblet/${n}`), "storage.tables.jobs.tableName"].sort());
    expect(errors.find((e) => e.key === "storage.tables.jobs.tableName")!.problem).toMatch(/^is also the DynamoDB table of joblet\/dev: storage\.tables\.jobs\.tableName/);
    errors = errors.filter((e) => e.key.startsWith("secrets."));
    expect(errors[0].scope).toBe("joblet/prod");
    expect(errors[0].key).toBe("secrets.entries.joblet/ca-cert");
    expect(errors[0].problem).toMatch(/^is also the secret of joblet\/dev: secrets\.entries\.joblet\/ca-cert: secret names are unique per account and region/);
    expect(errors[0].problem).toMatch(/an environment without accountId may be any account/);
    expect(errors[0].fix).toMatch(/give each environment its own accountId/);
  });

  it("accepts them in separate accounts, and refuses them in the same one", () => {
    expect(planHarness(both).map((p) => p.config.accountId)).toEqual([HARNESS_ACCOUNTS.dev, HARNESS_ACCOUNTS.prod]);
    expect(() => planHarness(both, { joblet: { dev: { accountId: HARNESS_ACCOUNTS.prod } } })).toThrow(
      /joblet\/prod: secrets\.entries\.joblet\/ca-cert = "joblet\/ca-cert"\n  Problem: is also the secret of joblet\/dev: secrets\.entries\.joblet\/ca-cert: secret names are unique per account and region, and both are in us-east-1 of 517392846021,/,
    );
  });

  it("gives the other presets' environments their own names, so they may share an account", () => {
    const shared: Overrides = Object.fromEntries(["algoitny", "muejam", "duewin", "ode"].map((s) => [s, { all: { accountId: HARNESS_ACCOUNTS.prod } }]));
    const planned = planHarness({ systems: ["algoitny", "muejam", "duewin", "ode"], environments: ["dev", "staging", "prod"] }, shared);
    expect(planned).toHaveLength(12);
    expect(planned.find((p) => p.config.project === "duewin" && p.config.environment === "dev")!.config.registry.repositories.backend.repositoryName).toBe("duewin-dev-backend");
  });

  it("refuses one S3 bucket name in two systems, even in different regions (S3 names are global)", () => {
    const bucket = { storage: { buckets: { documents: { bucketName: "shared-documents-bucket" } } } };
    expect(() => planHarness({ systems: ["ode", "algoitny"], environments: ["prod"] }, { ode: { prod: bucket }, algoitny: { prod: bucket } })).toThrow(
      /algoitny\/prod: storage\.buckets\.documents\.bucketName = "shared-documents-bucket"\n  Problem: is also the S3 bucket of ode\/prod: storage\.buckets\.documents\.bucketName: S3 bucket names are unique across all of AWS/,
    );
  });

  it("compares a given table name with the name a table's key derives, as the table is created", () => {
    const tables = { extra: { partitionKey: { name: "PK" } }, copy: { tableName: "algoitny-prod-extra", partitionKey: { name: "PK" } } };
    expect(() => planHarness({ systems: ["algoitny"], environments: ["prod"] }, { algoitny: { prod: { storage: { tables } } } })).toThrow(
      /algoitny\/prod: storage\.tables\.copy\.tableName = "algoitny-prod-extra"\n {2}Problem: is also the DynamoDB table of algoitny\/prod: storage\.tables\.extra\.tableName:/,
    );
  });

  it("compares a queue's name with another queue's dead-letter queue, which adds -dlq", () => {
    const queues = { other: { queueName: "algoitny-jobs-prod-dlq" } };
    expect(() => planHarness({ systems: ["algoitny"], environments: ["prod"] }, { algoitny: { prod: { storage: { queues } } } })).toThrow(
      /algoitny\/prod: storage\.queues\.other\.queueName = "algoitny-jobs-prod-dlq"\n {2}Problem: is also the SQS queue of algoitny\/prod: storage\.queues\.jobs\.queueName:/,
    );
  });

  it("ends derived S3 bucket names in the account id once it is known", () => {
    const [prod] = planHarness({ systems: ["ode"], environments: ["prod"] });
    const [dev] = planHarness({ systems: ["ode"], environments: ["dev"] });
    const buckets = (config: typeof prod.config) => configuredNames(config).filter((n) => n.kind === "S3 bucket").map((n) => n.name);
    expect(buckets(prod.config)).toEqual(["ode-prod-documents-517392846021", "ode-prod-exports-517392846021", "ode-prod-fonts-517392846021", "ode-terraform-state"]);
    expect(buckets(dev.config)).toEqual(["ode-dev-documents", "ode-dev-exports", "ode-dev-fonts"]);
  });
});
