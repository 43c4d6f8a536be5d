import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, DataResource, Fn, TerraformOutput, Token } from "cdktf";
import { Construct } from "constructs";
import { BackendConfigInput } from "../../src/config/backend-config";
import { resolveSystemConfig, ResolvedSystemConfig } from "../../src/config/resolve";
import { ForeignState } from "../../src/constructs/remote-state";
import { stackBackend } from "../../src/stacks/aws-stack";
import { BaseStack } from "../../src/stacks/base-stack";
import {
  BackgroundTerraform,
  Emulators,
  emulatorEnv,
  mustTerraform,
  probeS3rverConditionalPut,
  runTerraform,
  startEmulators,
} from "../harness/emulators";
import { shouldRunTerraform } from "../harness/terraform";

/**
 * The S3 backend, for real: s3rver and dynalite on 127.0.0.1, stacks whose resources need
 * no cloud API (terraform_data and outputs), synthesized by the product's own backend code
 * (`stackBackend`, as every AwsStack uses it). The harness adds only how to reach the
 * emulators: `-backend-config` for the backends (a partial configuration, merged by
 * terraform) and, for remote states, the same settings merged into each synthesized
 * `config`.
 */

const BUCKET = "statetest-terraform-state";
const TABLE = "statetest-terraform-locks";
const GREETING = "hello from the producer";
const HOLD_TIMEOUT_MS = 60_000;

/** A stack whose only resources are terraform_data, with the product's backend. */
class ProbeStack extends BaseStack {
  constructor(scope: Construct, config: ResolvedSystemConfig, layer: string) {
    const name = `${config.project}-${config.environment}-${layer}`;
    super(scope, name, stackBackend(config, name));
  }
}

class ProducerStack extends ProbeStack {
  public readonly payload: DataResource;
  constructor(scope: Construct, config: ResolvedSystemConfig, layer = "producer") {
    super(scope, config, layer);
    this.payload = new DataResource(this, "payload", { input: { greeting: GREETING } });
    new TerraformOutput(this, "greeting", { value: this.payload.output.lookup("greeting") });
    new TerraformOutput(this, "answer", { value: 42 });
  }
}

/** Reads the producer twice: by a cdktf cross-stack reference, and as a ForeignState. */
class ConsumerStack extends ProbeStack {
  constructor(scope: Construct, config: ResolvedSystemConfig, producer: ProducerStack, producerKey: string) {
    super(scope, config, "consumer");
    const echo = new DataResource(this, "echo", { input: { greeting: Token.asString(producer.payload.output.lookup("greeting")) } });
    new TerraformOutput(this, "echoed", { value: echo.output.lookup("greeting") });
    const foreign = new ForeignState(this, "producer", {
      state: { bucket: BUCKET, key: producerKey, outputs: { greeting: "greeting", answer: "answer" } },
      reads: { greeting: "string", answer: "number" },
      defaultRegion: config.region,
    });
    new TerraformOutput(this, "foreign_greeting", { value: foreign.outputs.greeting });
    new TerraformOutput(this, "answer_plus_one", { value: Fn.sum([foreign.outputs.answer, 1]) });
  }
}

function configWith(backend: BackendConfigInput): ResolvedSystemConfig {
  return resolveSystemConfig("dev", { project: "statetest", region: "us-east-1", backend });
}

const S3_DYNAMODB = configWith({ type: "s3", bucket: BUCKET, dynamodbTable: TABLE, locking: "dynamodb" });
const S3_LOCKFILE = configWith({ type: "s3", bucket: BUCKET, locking: "lockfile" });
const S3_BOTH = configWith({ type: "s3", bucket: BUCKET, dynamodbTable: TABLE, locking: "both" });
const LOCAL = configWith({ type: "local" });

/** Synthesizes stacks into `outdir` (which may already hold earlier synths and .terraform dirs). */
function synth(outdir: string, build: (app: App) => void): void {
  const app = new App({ outdir });
  build(app);
  app.synth();
}

function stackJson(dir: string): { terraform: { backend: Record<string, Record<string, unknown>> }; data?: { terraform_remote_state?: Record<string, { backend: string; config: Record<string, unknown> }> } } {
  return JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8"));
}

interface TerraformState {
  version: number;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, { value: unknown }>;
  resources: { type: string; name: string }[];
}

const conditionalPut = shouldRunTerraform("real S3 backend (s3rver + dynalite)") ? probeS3rverConditionalPut() : undefined;
const run = conditionalPut !== undefined;

(run ? describe : describe.skip)("S3 backend against s3rver and dynalite on 127.0.0.1", () => {
  let emulators: Emulators;
  let root: string;
  let outdir: string;
  let env: NodeJS.ProcessEnv;
  const holders: BackgroundTerraform[] = [];
  const dirOf = (stack: string) => join(outdir, "stacks", stack);
  const producerKey = "statetest/dev/statetest-dev-producer.tfstate";

  /** Writes the emulator connection as a partial backend configuration and runs init with it. */
  async function init(stack: string, ...extra: string[]): Promise<void> {
    const file = join(dirOf(stack), "emulator.s3.tfbackend");
    writeFileSync(file, Object.entries(emulators.connection).map(([k, v]) => `${k} = ${hcl(v)}`).join("\n") + "\n");
    await mustTerraform(dirOf(stack), ["init", "-input=false", `-backend-config=${file}`, ...extra], env);
  }

  async function stateAt(key: string): Promise<TerraformState | undefined> {
    const text = await emulators.getObject(BUCKET, key);
    return text === undefined ? undefined : (JSON.parse(text) as TerraformState);
  }

  /** Starts `terraform apply -replace=...` and waits at its approval prompt: it holds the state lock there. */
  async function holdLock(stack: string): Promise<BackgroundTerraform> {
    const holder = new BackgroundTerraform(dirOf(stack), ["apply", "-replace=terraform_data.payload", "-input=true"], { ...env, TF_INPUT: "1" });
    holders.push(holder);
    await holder.waitFor("Enter a value:", HOLD_TIMEOUT_MS);
    return holder;
  }

  async function release(holder: BackgroundTerraform): Promise<void> {
    holder.answer("no");
    const result = await holder.exited;
    expect(result.output).toContain("Apply cancelled.");
  }

  beforeAll(async () => {
    emulators = await startEmulators({ buckets: [BUCKET], lockTables: [TABLE] });
    env = emulatorEnv();
    root = mkdtempSync(join(tmpdir(), "real-backend-"));
    outdir = join(root, "cdktf.out");
    mkdirSync(outdir);
    synth(outdir, (app) => {
      const producer = new ProducerStack(app, S3_DYNAMODB);
      new ConsumerStack(app, S3_DYNAMODB, producer, producerKey);
      new ProducerStack(app, S3_LOCKFILE, "lockfile");
      new ProducerStack(app, S3_BOTH, "both");
    });
  }, 60_000);

  afterAll(async () => {
    holders.forEach((h) => h.kill());
    await Promise.allSettled(holders.map((h) => h.exited));
    await emulators?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  }, 30_000);

  it("1. init and apply put the state in the bucket under <project>/<environment>/<stack>.tfstate, as Terraform state", async () => {
    expect(stackJson(dirOf("statetest-dev-producer")).terraform.backend).toEqual({
      s3: { bucket: BUCKET, key: producerKey, region: "us-east-1", encrypt: true, dynamodb_table: TABLE },
    });
    await init("statetest-dev-producer");
    await mustTerraform(dirOf("statetest-dev-producer"), ["apply", "-auto-approve", "-input=false"], env);

    const state = await stateAt(producerKey);
    expect(state).toMatchObject({ version: 4, terraform_version: "1.11.4", serial: 1, outputs: { greeting: { value: GREETING }, answer: { value: 42 } } });
    expect(state!.lineage).toMatch(/^[0-9a-f-]{36}$/);
    expect(state!.resources.map((r) => `${r.type}.${r.name}`)).toEqual(["terraform_data.payload"]);
    // Nothing was written locally, and the lock table holds the state's digest (S3 consistency check).
    expect(existsSync(join(dirOf("statetest-dev-producer"), "terraform.tfstate"))).toBe(false);
    expect((await emulators.scan(TABLE)).map((item) => item.LockID)).toEqual([`${BUCKET}/${producerKey}-md5`]);
  }, 120_000);

  it("2. refuses a second run while one holds the DynamoDB lock, corrupts nothing, and lets it run after release", async () => {
    const dir = dirOf("statetest-dev-producer");
    const before = await emulators.getObject(BUCKET, producerKey);
    const holder = await holdLock("statetest-dev-producer");

    const lock = (await emulators.scan(TABLE)).find((item) => item.LockID === `${BUCKET}/${producerKey}`);
    expect(lock).toBeDefined();
    const info = JSON.parse(lock!.Info) as { ID: string; Operation: string; Path: string };
    expect(info).toMatchObject({ Operation: "OperationTypeApply", Path: `${BUCKET}/${producerKey}` });

    const refused = await runTerraform(dir, ["apply", "-auto-approve", "-input=false", "-lock-timeout=0s", "-replace=terraform_data.payload"], env);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain("Error acquiring the state lock");
    expect(refused.output).toContain("ConditionalCheckFailedException");
    expect(refused.output).toContain(`ID:        ${info.ID}`);
    expect(await emulators.getObject(BUCKET, producerKey)).toBe(before);

    await release(holder);
    expect((await emulators.scan(TABLE)).map((item) => item.LockID)).toEqual([`${BUCKET}/${producerKey}-md5`]);
    expect(await emulators.getObject(BUCKET, producerKey)).toBe(before);

    await mustTerraform(dir, ["apply", "-auto-approve", "-input=false", "-lock-timeout=0s", "-replace=terraform_data.payload"], env);
    const previous = JSON.parse(before!) as TerraformState;
    const after = await stateAt(producerKey);
    expect(after).toMatchObject({ lineage: previous.lineage, serial: previous.serial + 1, outputs: { greeting: { value: GREETING } } });
  }, 180_000);

  it("3. a second stack reads the first one's outputs from the bucket, by cross-stack reference and as a ForeignState", async () => {
    const dir = dirOf("statetest-dev-consumer");
    const remote = stackJson(dir).data?.terraform_remote_state ?? {};
    // Both remote states point at the producer's backend object, as synthesized.
    expect(Object.keys(remote).sort()).toEqual(["cross-stack-reference-input-statetest-dev-producer", "producer"]);
    for (const state of Object.values(remote)) {
      expect(state).toMatchObject({ backend: "s3", config: { bucket: BUCKET, key: producerKey, region: "us-east-1" } });
    }
    // ...and reach it through the emulators: the connection settings merge into each config.
    const override = Object.fromEntries(Object.entries(remote).map(([name, state]) => [name, { config: { ...state.config, ...emulators.connection } }]));
    writeFileSync(join(dir, "zz_emulator_override.tf.json"), JSON.stringify({ data: { terraform_remote_state: override } }, null, 2));

    await init("statetest-dev-consumer");
    await mustTerraform(dir, ["apply", "-auto-approve", "-input=false"], env);
    const outputs = JSON.parse((await mustTerraform(dir, ["output", "-json"], env)).stdout) as Record<string, { value: unknown }>;
    expect(outputs.echoed.value).toBe(GREETING);
    expect(outputs.foreign_greeting.value).toBe(GREETING);
    expect(outputs.answer_plus_one.value).toBe(43);
    expect(await stateAt("statetest/dev/statetest-dev-consumer.tfstate")).toMatchObject({ outputs: { echoed: { value: GREETING } } });
  }, 120_000);

  it("4. applying again changes nothing: the next plan shows no changes", async () => {
    for (const stack of ["statetest-dev-producer", "statetest-dev-consumer"]) {
      const key = `statetest/dev/${stack}.tfstate`;
      await mustTerraform(dirOf(stack), ["apply", "-auto-approve", "-input=false"], env);
      const serial = (await stateAt(key))!.serial;
      const plan = await runTerraform(dirOf(stack), ["plan", "-input=false", "-detailed-exitcode"], env);
      expect({ stack, status: plan.status }).toEqual({ stack, status: 0 });
      expect(plan.output).toContain("No changes.");
      expect((await stateAt(key))!.serial).toBe(serial);
    }
  }, 120_000);

  it("lockfile locking: the lock is a <key>.tflock object while a run holds it, gone after release, and no table is used", async () => {
    const stack = "statetest-dev-lockfile";
    const key = `statetest/dev/${stack}.tfstate`;
    expect(stackJson(dirOf(stack)).terraform.backend).toEqual({ s3: { bucket: BUCKET, key, region: "us-east-1", encrypt: true, use_lockfile: true } });
    await init(stack);
    await mustTerraform(dirOf(stack), ["apply", "-auto-approve", "-input=false"], env);
    expect(await stateAt(key)).toMatchObject({ outputs: { greeting: { value: GREETING } } });

    const holder = await holdLock(stack);
    const lock = JSON.parse((await emulators.getObject(BUCKET, `${key}.tflock`)) ?? "null") as { Operation: string; Path: string } | null;
    expect(lock).toMatchObject({ Operation: "OperationTypeApply", Path: `${BUCKET}/${key}` });
    expect((await emulators.scan(TABLE)).some((item) => item.LockID.startsWith(`${BUCKET}/${key}`))).toBe(false);
    await release(holder);
    expect(await emulators.getObject(BUCKET, `${key}.tflock`)).toBeUndefined();
  }, 120_000);

  const exclusive = conditionalPut?.supported ? it : it.skip;
  exclusive(
    `lockfile locking refuses a second run while the .tflock object exists${
      conditionalPut?.supported
        ? ""
        : ` - SKIPPED: s3rver cannot serve it, it ignores "If-None-Match: *" on PutObject (${conditionalPut?.detail}), so a second run would overwrite the lock`
    }`,
    async () => {
      const stack = "statetest-dev-lockfile";
      const holder = await holdLock(stack);
      const refused = await runTerraform(dirOf(stack), ["plan", "-input=false", "-lock-timeout=0s"], env);
      expect(refused.status).not.toBe(0);
      expect(refused.output).toContain("Error acquiring the state lock");
      await release(holder);
    },
    120_000,
  );

  it("both locks: a held run has the DynamoDB item and the .tflock object, and the DynamoDB lock refuses a second run", async () => {
    const stack = "statetest-dev-both";
    const key = `statetest/dev/${stack}.tfstate`;
    expect(stackJson(dirOf(stack)).terraform.backend).toEqual({
      s3: { bucket: BUCKET, key, region: "us-east-1", encrypt: true, dynamodb_table: TABLE, use_lockfile: true },
    });
    await init(stack);
    await mustTerraform(dirOf(stack), ["apply", "-auto-approve", "-input=false"], env);
    const before = await emulators.getObject(BUCKET, key);

    const holder = await holdLock(stack);
    const lockItem = () => emulators.scan(TABLE).then((items) => items.find((item) => item.LockID === `${BUCKET}/${key}`));
    const held = await lockItem();
    expect(held).toBeDefined();
    expect(JSON.parse((await emulators.getObject(BUCKET, `${key}.tflock`)) ?? "null")).toMatchObject({ Path: `${BUCKET}/${key}` });

    const refused = await runTerraform(dirOf(stack), ["apply", "-auto-approve", "-input=false", "-lock-timeout=0s", "-replace=terraform_data.payload"], env);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain("Error acquiring the state lock");
    expect(refused.output).toContain("ConditionalCheckFailedException");
    expect(await emulators.getObject(BUCKET, key)).toBe(before);
    expect(await lockItem()).toEqual(held);
    if (!conditionalPut!.supported) {
      // s3rver let the refused run overwrite the .tflock object, which it removed on giving up;
      // against S3 its conditional PUT would have failed first and left the holder's object.
      expect(await emulators.getObject(BUCKET, `${key}.tflock`)).toBeUndefined();
    }

    await release(holder);
    expect(await lockItem()).toBeUndefined();
    expect(await emulators.getObject(BUCKET, `${key}.tflock`)).toBeUndefined();
    // ...so on s3rver the holder reports that its lock object was already gone.
    expect(holder.output.includes("Error releasing the state lock")).toBe(!conditionalPut!.supported);
  }, 120_000);

  it("bootstrap: a stack applied with local state moves into the bucket with terraform init -migrate-state", async () => {
    // The layout of a project: <root>/cdktf.out/stacks/<stack>, local state at <root>/terraform.<stack>.tfstate.
    const stack = "statetest-dev-state";
    synth(outdir, (app) => new ProducerStack(app, LOCAL, "state"));
    expect(stackJson(dirOf(stack)).terraform.backend).toEqual({ local: { path: `../../../terraform.${stack}.tfstate` } });
    await mustTerraform(dirOf(stack), ["init", "-input=false"], env);
    await mustTerraform(dirOf(stack), ["apply", "-auto-approve", "-input=false"], env);
    const local = JSON.parse(readFileSync(join(root, `terraform.${stack}.tfstate`), "utf8")) as TerraformState;

    // Step 2 of docs/state.md: synthesize again with the S3 backend, then migrate.
    synth(outdir, (app) => new ProducerStack(app, S3_DYNAMODB, "state"));
    await init(stack, "-migrate-state", "-force-copy");
    const key = `statetest/dev/${stack}.tfstate`;
    // Terraform 1.11 writes the copy under a new lineage; what matters is that it holds the same resources and outputs.
    const migrated = await stateAt(key);
    expect(migrated?.resources).toEqual(local.resources);
    expect(migrated?.outputs).toEqual(local.outputs);
    const plan = await runTerraform(dirOf(stack), ["plan", "-input=false", "-detailed-exitcode"], env);
    expect(plan.status).toBe(0);
  }, 120_000);
});

/** A value as HCL, for a .tfbackend file. */
function hcl(value: unknown): string {
  if (typeof value === "object" && value !== null) {
    return `{ ${Object.entries(value).map(([k, v]) => `${k} = ${hcl(v)}`).join(", ")} }`;
  }
  return JSON.stringify(value);
}
