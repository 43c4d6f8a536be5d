import { spawn } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Emulators, emulatorEnv, startEmulators } from "../harness/emulators";
import { shouldRunTerraform } from "../harness/terraform";

/**
 * `cdktf deploy` and `cdktf diff`, run for real through the CLI as the README shows them,
 * against the loopback S3 server: a stack whose only resource needs no cloud API
 * (`terraform_data`), with the product's S3 backend (S3-native locking, the default).
 * As on an air-gapped runner: `--skip-provider-lock` (the CLI's `terraform providers lock`
 * needs the registry) and CHECKPOINT_DISABLE.
 */

const ROOT = join(__dirname, "..", "..");
const CDKTF = join(ROOT, "node_modules", ".bin", "cdktf");
const BUCKET = "deploytest-terraform-state";
const KEY = "deploytest/dev/deploytest-dev-probe.tfstate";
const STACK = "deploytest-dev-probe";

interface CliRun {
  readonly status: number | null;
  readonly output: string;
}

/** Runs the cdktf CLI asynchronously (the emulators share this process's event loop). */
function cdktf(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 240_000): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(CDKTF, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk.toString()));
    child.stderr.on("data", (chunk) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

/** Fails with the CLI's whole output unless it exited 0. */
function expectSuccess(result: CliRun): void {
  if (result.status !== 0) throw new Error(`cdktf exited ${result.status}:\n${result.output}`);
}

const run = shouldRunTerraform("cdktf deploy / diff through the CLI");

(run ? describe : describe.skip)("cdktf deploy and diff through the CLI, against the loopback S3 backend", () => {
  let emulators: Emulators;
  let project: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    emulators = await startEmulators({ buckets: [BUCKET], lockTables: [] });
    project = mkdtempSync(join(tmpdir(), "cli-deploy-"));
    writeFileSync(
      join(project, "cdktf.json"),
      JSON.stringify({ language: "typescript", app: `${join(ROOT, "node_modules", ".bin", "tsx")} ${join(ROOT, "__tests__", "harness", "deploy-app.ts")}`, sendCrashReports: "false" }),
    );
    env = emulatorEnv({
      CHECKPOINT_DISABLE: "1",
      CI: "1",
      FORCE_COLOR: "0",
      DEPLOY_TEST_BUCKET: BUCKET,
      DEPLOY_TEST_BACKEND: JSON.stringify(emulators.connection),
    });
  }, 60_000);

  afterAll(async () => {
    await emulators?.stop();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it("deploys: the state lands in the bucket under the stack's key, with its outputs", async () => {
    const result = await cdktf(project, ["deploy", STACK, "--auto-approve", "--skip-provider-lock"], env);
    expectSuccess(result);
    expect(result.output).toMatch(/Apply complete! Resources: 1 added, 0 changed, 0 destroyed/);
    const state = JSON.parse((await emulators.getObject(BUCKET, KEY)) ?? "{}") as { outputs?: Record<string, { value: unknown }> };
    expect(state.outputs?.greeting?.value).toBe("hello");
    // S3-native locking released its lock object
    expect(await emulators.getObject(BUCKET, `${KEY}.tflock`)).toBeUndefined();
  });

  it("diffs: no changes against what was deployed", async () => {
    const result = await cdktf(project, ["diff", STACK, "--skip-provider-lock"], env);
    expectSuccess(result);
    expect(result.output).toMatch(/No changes\. Your infrastructure matches the configuration/);
  });

  it("diffs a changed stack: the change, and nothing is applied", async () => {
    const result = await cdktf(project, ["diff", STACK, "--skip-provider-lock"], { ...env, DEPLOY_TEST_GREETING: "changed" });
    expectSuccess(result);
    expect(result.output).toMatch(/terraform_data\.payload \(payload\) will be updated in-place/);
    expect(result.output).toMatch(/~ greeting = "hello" -> "changed"/);
    expect(result.output).toMatch(/Plan: 0 to add, 1 to change, 0 to destroy/);
    const state = JSON.parse((await emulators.getObject(BUCKET, KEY)) ?? "{}") as { outputs?: Record<string, { value: unknown }> };
    expect(state.outputs?.greeting?.value).toBe("hello");
  });
});
