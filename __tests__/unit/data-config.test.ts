import { SYSTEMS } from "../../src/systems";
import { ConfigError, ConfigErrors } from "../../src/lib/errors";
import { SystemConfigInput } from "../../src/config/system-config";
import { planHarness, resourcesOf, synthStack } from "../harness/synth";

/** The configuration errors of one system in one environment with `override` applied. */
function errorsOf(system: string, environment: string, override: SystemConfigInput): ConfigError[] {
  try {
    planHarness({ systems: [system], environments: [environment] }, { [system]: { [environment]: override } });
  } catch (e) {
    if (e instanceof ConfigErrors) return [...e.errors];
    throw e;
  }
  return [];
}

function onlyError(system: string, environment: string, override: SystemConfigInput): ConfigError {
  const errors = errorsOf(system, environment, override);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toBeInstanceOf(ConfigError);
  return errors[0];
}

describe("data tier configuration", () => {
  it("accepts every preset in every environment", () => {
    expect(() => planHarness({ systems: Object.keys(SYSTEMS), environments: ["dev", "staging", "prod"] })).not.toThrow();
  });

  describe("RDS engine and version", () => {
    it("refuses an unsupported engine", () => {
      const e = onlyError("ode", "prod", { rds: { engine: "oracle-ee" as never } });
      expect(e.key).toBe("rds.engine");
      expect(e.message).toMatch(/ode\/prod: rds\.engine = "oracle-ee"[\s\S]*use one of "postgres", "mysql"/);
    });

    it("refuses the retired minor version 15.4 of the ODE document, naming the major to use", () => {
      const e = onlyError("ode", "prod", { rds: { engineVersion: "15.4" } });
      expect(e.key).toBe("rds.engineVersion");
      expect(e.message).toMatch(/pins the postgres minor version 15\.4[\s\S]*Fix: give the major version "15"/);
    });

    it("refuses an unknown major version", () => {
      const e = onlyError("duewin", "dev", { rds: { engineVersion: "5.7" } });
      expect(e.key).toBe("rds.engineVersion");
      expect(e.message).toMatch(/is not a supported mysql major version/);
    });
  });

  describe("RDS storage autoscaling ceiling", () => {
    // RDS refuses, at create, a ceiling less than 10 % above the allocation (equal to it included).
    const ceilingOf = (rds: Record<string, unknown>) => {
      const stack = synthStack({ systems: ["ode"], environments: ["prod"] }, "ode-prod-data", { ode: { prod: { rds } } });
      const [db] = Object.values(resourcesOf(stack, "aws_db_instance")).filter((r) => r.replicate_source_db === undefined);
      return { allocated: db.allocated_storage, max: db.max_allocated_storage };
    };

    it.each([
      [20, 100],
      [90, 100],
      [91, 101],
      [200, 220],
      [1001, 1102],
      [59578, 65536],
      [59579, 0],
    ])("defaults it to 100 GiB or 10 %% above allocatedStorage, rounded up (allocated %i: %i; 0, autoscaling off, past gp3's 65536)", (allocated, max) => {
      expect(ceilingOf({ allocatedStorage: allocated })).toEqual({ allocated, max });
    });

    it("takes 0 as storage autoscaling off", () => {
      expect(ceilingOf({ allocatedStorage: 200, maxAllocatedStorage: 0 })).toEqual({ allocated: 200, max: 0 });
    });

    it.each([150, 200, 219])("refuses a ceiling less than 10 %% above allocatedStorage (200 GiB: %i), naming the key the user set", (max) => {
      const e = onlyError("ode", "prod", { rds: { allocatedStorage: 200, maxAllocatedStorage: max } });
      expect(e.key).toBe("rds.maxAllocatedStorage");
      expect(e.message).toMatch(new RegExp(`rds\\.maxAllocatedStorage = ${max}[\\s\\S]*use at least 220, or 0 to turn storage autoscaling off`));
    });

    it("refuses any ceiling but 0 where 10 % above allocatedStorage passes gp3's 65536 GiB", () => {
      const e = onlyError("ode", "prod", { rds: { allocatedStorage: 60000, maxAllocatedStorage: 65536 } });
      expect(e.key).toBe("rds.maxAllocatedStorage");
      expect(e.message).toMatch(/use 0 \(storage autoscaling off\)/);
    });
  });

  it("takes rds.applyImmediately and redis.applyImmediately from the config file to the instance and the replication group", () => {
    const stack = synthStack({ systems: ["ode"], environments: ["prod"] }, "ode-prod-data", { ode: { prod: { rds: { applyImmediately: true }, redis: { applyImmediately: true } } } });
    expect(Object.values(resourcesOf(stack, "aws_db_instance")).map((r) => r.apply_immediately)).toEqual([true]);
    expect(Object.values(resourcesOf(stack, "aws_elasticache_replication_group")).map((r) => r.apply_immediately)).toEqual([true]);
  });

  describe("RDS backup retention", () => {
    it.each([36, 40, -1])("refuses %d days (outside 0-35)", (days) => {
      const e = onlyError("ode", "prod", { rds: { backupRetentionDays: days } });
      expect(e.key).toBe("rds.backupRetentionDays");
      expect(e.message).toMatch(/0-35 days/);
    });

    it("accepts 0 (no backups) and 35", () => {
      expect(errorsOf("ode", "dev", { rds: { backupRetentionDays: 0 } })).toEqual([]);
      expect(errorsOf("ode", "dev", { rds: { backupRetentionDays: 35 } })).toEqual([]);
    });
  });

  it("refuses a Multi-AZ Redis with one node", () => {
    const e = onlyError("duewin", "dev", { redis: { multiAz: true, numCacheClusters: 1 } });
    expect(e.key).toBe("redis.multiAz");
    expect(e.message).toMatch(/needs a replica in another AZ, but numCacheClusters is 1[\s\S]*set numCacheClusters to 2 or more/);
  });

  it("refuses a first-boot election secret that is not in secrets.entries (Joblet)", () => {
    const e = onlyError("joblet", "dev", { compute: { services: { app: { app: { type: "script", firstBoot: { electionSecret: "joblet/elsewhere", waitFor: ["joblet/ca-cert"] } } } } } });
    expect(e.key).toBe("compute.services.app.app.firstBoot.electionSecret");
    expect(e.message).toMatch(/"joblet\/elsewhere"[\s\S]*a secret the stacks create empty[\s\S]*add "joblet\/elsewhere" to secrets\.entries/);
  });

  describe("Redis password users", () => {
    it("refuses a URL secret that is not in secrets.entries", () => {
      const e = onlyError("duewin", "dev", { redis: { users: { app: { authentication: "password", urlSecret: { name: "duewin-dev/nowhere" } } } } });
      expect(e.key).toBe("redis.users.app.urlSecret.name");
      expect(e.message).toMatch(/"duewin-dev\/nowhere"[\s\S]*nowhere to write the user's connection URL[\s\S]*add "duewin-dev\/nowhere" to secrets\.entries/);
    });

    it("refuses a password user without a URL secret, and a URL key that is no variable name", () => {
      const e = onlyError("ode", "dev", { redis: { users: { broker: { authentication: "password" } } } });
      expect(e.key).toBe("redis.users.broker.urlSecret");
      expect(e.message).toMatch(/clients could never learn its password/);
      expect(onlyError("duewin", "dev", { redis: { users: { app: { urlSecret: { name: "duewin-dev/redis", key: "REDIS URL" } } } } }).key).toBe("redis.users.app.urlSecret.key");
    });
  });

  it("refuses a Redis version outside 7.x", () => {
    expect(onlyError("ode", "dev", { redis: { engineVersion: "6.2" } }).key).toBe("redis.engineVersion");
  });

  describe("S3 bucket names", () => {
    it.each([
      ["Ode_Documents", /may only hold lower case letters/],
      ["ab", /is 2 characters/],
      ["192.168.1.10", /may not look like an IP address/],
      ["docs..bucket", /two dots in a row/],
      ["xn--documents", /reserves/],
    ])("refuses %s", (bucketName, problem) => {
      const e = onlyError("ode", "prod", { storage: { buckets: { documents: { bucketName } } } });
      expect(e.key).toBe("storage.buckets.documents.bucketName");
      expect(e.message).toMatch(problem);
    });

    it("checks derived names too, naming the project when it is too long (the account id is part of them)", () => {
      const errors = errorsOf("muejam", "prod", { project: "muejam-a-long-project-n1", storage: { buckets: { "customer-uploaded-documents-archive": {} } } });
      expect(errors.map((e) => e.key)).toEqual(errors.map(() => "project"));
      expect(errors.map((e) => e.problem)).toContainEqual(expect.stringMatching(/makes the s3Bucket name "muejam-a-long-project-n1-prod-customer-uploaded-documents-archive-517392846021" 78 characters long/));
    });

    it("refuses a transition to an infrequent-access class before day 30, for current and noncurrent objects", () => {
      const early = [{ days: 7, storageClass: "STANDARD_IA" as const }];
      expect(onlyError("ode", "prod", { storage: { buckets: { documents: { lifecycle: { transitions: early } } } } }).key).toBe("storage.buckets.documents.lifecycle.transitions[0].days");
      const e = onlyError("ode", "prod", { storage: { buckets: { documents: { lifecycle: { noncurrentTransitions: [{ days: 29, storageClass: "ONEZONE_IA" }] } } } } });
      expect(e.key).toBe("storage.buckets.documents.lifecycle.noncurrentTransitions[0].days");
      expect(e.message).toMatch(/is under 30: S3 refuses a lifecycle rule moving objects to ONEZONE_IA before they are 30 days old/);
      expect(errorsOf("ode", "prod", { storage: { buckets: { documents: { lifecycle: { noncurrentTransitions: [{ days: 7, storageClass: "GLACIER_IR" }] } } } } })).toEqual([]);
    });

    it("refuses an expiry that comes before a transition", () => {
      const e = onlyError("ode", "prod", { storage: { buckets: { documents: { lifecycle: { expirationDays: 30 } } } } });
      expect(e.key).toBe("storage.buckets.documents.lifecycle.expirationDays");
    });
  });

  describe("secret names", () => {
    it("refuses a secret outside the allowed prefix", () => {
      const e = onlyError("joblet", "prod", { secrets: { entries: { "shared/ca-cert": "CA" } } });
      expect(e.key).toBe("secrets.entries.shared/ca-cert");
      expect(e.message).toMatch(/is outside the allowed prefix "joblet\/", which IAM grants are scoped to/);
    });

    it("refuses a prefix with characters Secrets Manager rejects", () => {
      // The first problem; the certificate secrets named under the old prefix are reported too.
      expect(errorsOf("joblet", "prod", { secrets: { prefix: "joblet certs/" } })[0].key).toBe("secrets.prefix");
    });

    it("keeps the document's names in prod and separate prefixes elsewhere", () => {
      const [prod, dev] = ["prod", "dev"].map((env) => planHarness({ systems: ["joblet"], environments: [env] })[0].config.secrets!);
      // The document's four, and the first boot's election (the instances take turns generating them).
      expect(Object.keys(prod.entries)).toEqual(["joblet/ca-cert", "joblet/ca-key", "joblet/client-cert", "joblet/client-key", "joblet/first-boot"]);
      // Joblet itself reads the fixed names joblet/*: every environment uses them (one account each).
      expect(Object.keys(dev.entries)).toEqual(Object.keys(prod.entries));
      const algoitny = planHarness({ systems: ["algoitny"], environments: ["prod"] })[0].config;
      expect(Object.keys(algoitny.secrets!.entries)).toEqual(["algoitny-secrets"]);
      expect(algoitny.storage.tables.main.tableName).toBe("algoitny_main");
      expect(algoitny.registry.repositories.algoitny.repositoryName).toBe("algoitny");
    });
  });

  it("refuses a database in a system without isolated subnets", () => {
    const e = onlyError("muejam", "prod", { rds: { engine: "postgres", engineVersion: "16" } });
    expect(e.key).toBe("network.isolatedSubnets");
    expect(e.message).toMatch(/rds needs isolated subnets/);
  });

  it("suggests the key meant by a typo", () => {
    const e = onlyError("ode", "prod", { rds: { backupRetentionDay: 7 } as never });
    expect(e.key).toBe("rds.backupRetentionDay");
    expect(e.fix).toMatch(/did you mean "backupRetentionDays"/);
  });

  it("refuses a DynamoDB table name AWS would refuse", () => {
    const e = onlyError("algoitny", "prod", { storage: { tables: { main: { tableName: "main table" } } } });
    expect([e.key, e.problem]).toEqual(["storage.tables.main.tableName", "is not a valid DynamoDB table name"]);
  });

  it("refuses an SQS queue name AWS would refuse, its own or its dead-letter queue's", () => {
    const spaced = onlyError("algoitny", "prod", { storage: { queues: { jobs: { queueName: "jobs queue" } } } });
    expect([spaced.key, spaced.problem]).toEqual(["storage.queues.jobs.queueName", "is not a valid SQS queue name"]);
    const long = onlyError("algoitny", "prod", { storage: { queues: { jobs: { queueName: "q".repeat(78) } } } });
    expect([long.key, long.problem]).toEqual(["storage.queues.jobs.queueName", "is 82 characters; AWS allows at most 80 for a sqsQueue name"]);
    expect(long.fix).toMatch(/use at most 76 characters: its dead-letter queue adds "-dlq"/);
    // Without a dead-letter queue, 80 characters are fine.
    expect(planHarness({ systems: ["algoitny"], environments: ["prod"] }, { algoitny: { prod: { storage: { queues: { jobs: { queueName: "q".repeat(80), maxReceiveCount: null } } } } } })).toHaveLength(1);
  });

  it("refuses a queue that keeps messages as long as its dead-letter queue, where they would expire as they arrive", () => {
    const e = onlyError("algoitny", "prod", { storage: { queues: { jobs: { messageRetentionSeconds: 1209600 } } } });
    expect([e.key, e.value]).toEqual(["storage.queues.jobs.messageRetentionSeconds", 1209600]);
    expect(e.fix).toMatch(/set maxReceiveCount to null/);
  });

  it("refuses an ECR name with upper case letters and a certificate of another region", () => {
    expect(onlyError("ode", "prod", { registry: { repositories: { api: { repositoryName: "ODE/api" } } } }).key).toBe("registry.repositories.api.repositoryName");
    const e = onlyError("joblet", "prod", {
      audit: { certificateExpiry: { certificates: { api: "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" } } },
    });
    expect(e.key).toBe("audit.certificateExpiry.certificates.api");
  });

  it("refuses two watched certificates that would be one alarm: a secret listed twice, or a secret labelled as an ACM certificate is named", () => {
    const twice = onlyError("joblet", "prod", { audit: { certificateExpiry: { secretCertificates: { secrets: ["joblet/ca-cert", "joblet/ca-cert"] } } } });
    expect([twice.key, twice.value]).toEqual(["audit.certificateExpiry.secretCertificates.secrets[1]", "joblet/ca-cert"]);
    expect(twice.problem).toMatch(/as the secret "joblet\/ca-cert" does/);
    const acm = "arn:aws:acm:us-east-1:517392846021:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    const clash = onlyError("joblet", "prod", { audit: { certificateExpiry: { certificates: { "joblet-ca-cert": acm } } } });
    expect([clash.key, clash.problem]).toEqual([
      "audit.certificateExpiry.secretCertificates.secrets[0]",
      'gives its alarm the label "joblet-ca-cert", as the ACM certificate "joblet-ca-cert" does, so both would be the alarm `<prefix>-certificate-expiry-joblet-ca-cert`',
    ]);
  });
});
