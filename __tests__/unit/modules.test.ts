import { readdirSync, readFileSync } from "fs";
import { dirname, join, relative, resolve } from "path";
import { ConfigError, ConfigErrors } from "../../src/lib/errors";
import { AnyModule, MODULES, modulesShape } from "../../src/config/modules";
import { SystemConfigInput, SystemConfigSchema, systemConfigSchemaOf } from "../../src/config/system-config";
import { buildSystems, planSystems } from "../../src/app";
import { App } from "cdktf";
import { auditModule } from "../../src/constructs/audit/module";
import { queuesModule } from "../fixtures/modules/queues/module";
import { HARNESS_MODULES } from "../harness/systems";
import { HARNESS_PLAN, withHarnessInputs } from "../harness/inputs";
import { buildStacks, planHarness, synthStack } from "../harness/synth";

/**
 * A module is its folder and one line in MODULES (src/config/modules.ts): from its definition
 * alone, the system's schema gains its key, config validation runs its checks under that key
 * and its names among those AWS holds unique, and a module with a layer gets its own stack.
 * Proven on the product's modules, and on a seventh defined only in a fixture
 * (../fixtures/modules/queues/), registered by one line in the harness's list (HARNESS_MODULES).
 */

/** The configuration errors of `system` in `environment` with `override`; none when it plans. */
function errorsOf(system: string, environment: string, override: Record<string, unknown>): ConfigError[] {
  try {
    planHarness({ systems: [system], environments: [environment] }, { [system]: { [environment]: override as SystemConfigInput } });
  } catch (e) {
    if (e instanceof ConfigErrors) return [...e.errors];
    throw e;
  }
  return [];
}

const keysOf = (errors: readonly ConfigError[]) => errors.map((e) => e.key);

describe("the product's modules", () => {
  it("are each the system's settings under the module's key", () => {
    for (const module of MODULES as readonly AnyModule[]) expect({ key: module.key, schema: SystemConfigSchema.shape[module.key as keyof typeof SystemConfigSchema.shape] }).toEqual({ key: module.key, schema: module.settings });
  });

  it("refuses two modules of one key, and a module keyed like a setting of every system", () => {
    expect(() => modulesShape([auditModule, { ...queuesModule, key: "audit" }])).toThrow('MODULES: two modules have the key "audit"');
    expect(() => systemConfigSchemaOf([...MODULES, { ...queuesModule, key: "region" }])).toThrow(/MODULES: a module has the key "region", which is a setting of every system \(project, environment, region/);
  });

  it("refuses a module whose layer is named like another layer", () => {
    const sharing = [...MODULES, { ...queuesModule, layer: { ...queuesModule.layer!, name: "data" } }];
    expect(() => buildSystems(new App(), planSystems({ systems: ["acme"], environments: ["dev"] }, withHarnessInputs({ systems: ["acme"], environments: ["dev"] }), { ...HARNESS_PLAN, modules: sharing }))).toThrow(
      "two stacks are named acme-dev-data: each layer of a system needs a name of its own (a module's layer.name must not be another layer's)",
    );
  });

  it("are checked each on its own: a storage problem is reported beside an invalid region", () => {
    const errors = errorsOf("muejam", "dev", { region: "xx-nowhere-1", storage: { buckets: { media: { bucketName: "Not_A_Bucket" } } } });
    expect(keysOf(errors)).toEqual(expect.arrayContaining(["region", "storage.buckets.media.bucketName"]));
  });

  it("name what AWS holds unique: the audit trail's bucket and a storage bucket of its name collide", () => {
    const errors = errorsOf("joblet", "prod", { storage: { buckets: { cloudtrail: {} } } });
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/audit\.trail\.bucketName[\s\S]*storage\.buckets\.cloudtrail\.bucketName|storage\.buckets\.cloudtrail\.bucketName[\s\S]*audit\.trail\.bucketName/);
  });

  it("with a layer of their own get its stack only when set: joblet's audit, no audit stack for muejam", () => {
    expect(buildStacks({ systems: ["joblet", "muejam"], environments: ["prod"] }).map((s) => s.node.id).filter((id) => id.endsWith("-audit"))).toEqual(["joblet-prod-audit"]);
  });

  it("with a layer of their own are imported by nothing outside their folder but MODULES", () => {
    const SRC = join(__dirname, "..", "..", "src");
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
    const folders = ["audit"]; // the product's modules with a layer of their own
    expect((MODULES as readonly AnyModule[]).filter((m) => m.layer).map((m) => m.key)).toEqual(folders);
    const importers = files(SRC).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/from "(\.{1,2}\/[^"]+)"/g)]
        .map((m) => relative(SRC, resolve(dirname(file), m[1])))
        .filter((target) => folders.some((f) => target.startsWith(`constructs/${f}/`)) && !relative(SRC, file).startsWith(`constructs/${target.split("/")[1]}/`))
        .map((target) => `${relative(SRC, file)} -> ${target}`),
    );
    expect(importers).toEqual(["config/modules.ts -> constructs/audit/module"]);
  });
});

describe("a module of one's own: the fixture's queues, one folder and one line in HARNESS_MODULES", () => {
  it("is not one of the product's modules, and is one of the harness's", () => {
    expect((MODULES as readonly AnyModule[]).map((m) => m.key)).not.toContain("queues");
    expect(HARNESS_MODULES).toContain(queuesModule);
  });

  it("is a key of the system's configuration, parsed by its schema: a typo inside it names the known keys", () => {
    const errors = errorsOf("acme", "dev", { queues: { orders: { visibilityTimeout: 60 } } });
    expect(keysOf(errors)).toEqual(["queues.orders.visibilityTimeout"]);
    expect(errors[0].message).toMatch(/known keys here are queueName, fifo, contentBasedDeduplication, visibilityTimeoutSeconds, messageRetentionSeconds/);
  });

  it("is not a key of a system made of the product's modules", () => {
    expect(() => SystemConfigSchema.parse({ project: "acme", environment: "dev", region: "eu-west-1", queues: {} })).toThrow(/queues/);
  });

  it("has its checks run under its key", () => {
    const errors = errorsOf("acme", "dev", { queues: { events: { contentBasedDeduplication: true } } });
    expect(keysOf(errors)).toEqual(["queues.events.contentBasedDeduplication"]);
    expect(errors[0].message).toMatch(/acme\/dev: queues\.events\.contentBasedDeduplication = true[\s\S]*FIFO queues only/);
  });

  it("has its names checked among those AWS holds unique", () => {
    const errors = errorsOf("acme", "dev", { queues: { a: { queueName: "acme-shared" }, b: { queueName: "acme-shared" } } });
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/queues\.b\.queueName[\s\S]*queues\.a\.queueName/);
  });

  it("builds its own stack, with the provider, tags and backend of every stack", () => {
    const stack = synthStack({ systems: ["acme"], environments: ["dev"] }, "acme-dev-queues");
    expect(stack.resource?.aws_sqs_queue?.queue_orders).toMatchObject({ name: "acme-dev-orders.fifo", fifo_queue: true, sqs_managed_sse_enabled: true });
    expect(stack.provider?.aws).toEqual([expect.objectContaining({ region: "eu-west-1", default_tags: [{ tags: expect.objectContaining({ Project: "acme", Environment: "dev" }) }] })]);
    expect(stack.terraform?.backend).toHaveProperty("local");
  });
});
