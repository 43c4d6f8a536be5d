import { spawnSync } from "child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { lockedProviders, PROVIDER_LOCKS_DIR } from "../../src/lib/provider-locks";
import { withHarnessInputs } from "../harness/inputs";
import { shouldRunTerraform, terraformEnv } from "../harness/terraform";

/**
 * The provider checksums a pipeline's `terraform init` verifies are committed
 * (provider-locks/<set>/.terraform.lock.hcl), and synth puts them in each stack's folder.
 */

const ROOT = join(__dirname, "..", "..");
const AWS_LOCK = join(PROVIDER_LOCKS_DIR, "aws", ".terraform.lock.hcl");

describe("committed provider lock files", () => {
  const outdir = mkdtempSync(join(tmpdir(), "provider-lock-"));
  // prod needs the required inputs: the harness's, as a user's INFRA_CONFIG file.
  const inputsDir = mkdtempSync(join(tmpdir(), "provider-lock-inputs-"));
  const inputs = join(inputsDir, "inputs.json");
  writeFileSync(inputs, JSON.stringify(withHarnessInputs({ systems: ["muejam", "ode"], environments: ["prod"] })));
  // The app as cdktf.json runs it (precompiled main.ts).
  const synth = spawnSync(process.execPath, ["scripts/app.js"], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, INFRA_SYSTEMS: "muejam,ode", INFRA_ENVIRONMENTS: "prod", INFRA_CONFIG: inputs },
    encoding: "utf8",
    timeout: 120_000,
  });
  const stacks = synth.status === 0 ? readdirSync(join(outdir, "stacks")) : [];
  afterAll(() => [outdir, inputsDir].forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("synth succeeds", () => {
    expect({ status: synth.status, stderr: synth.stderr }).toEqual({ status: 0, stderr: "" });
  });

  it("pins the aws provider version the stacks require", () => {
    const json = JSON.parse(readFileSync(join(outdir, "stacks", "muejam-prod-network", "cdk.tf.json"), "utf8"));
    const version = json.terraform.required_providers.aws.version as string;
    expect(readFileSync(AWS_LOCK, "utf8")).toContain(`version     = "${version}"`);
    expect(readFileSync(join(PROVIDER_LOCKS_DIR, "aws", "versions.tf"), "utf8")).toContain(`version = "${version}"`);
    expect(lockedProviders(AWS_LOCK)).toEqual(["aws"]);
  });

  it("puts the committed lock file into every stack that uses only the aws provider", () => {
    const aws = stacks.filter((s) => !s.endsWith("-workloads"));
    expect(aws.length).toBeGreaterThanOrEqual(8);
    for (const stack of aws) {
      expect({ stack, lock: readFileSync(join(outdir, "stacks", stack, ".terraform.lock.hcl"), "utf8") }).toEqual({ stack, lock: readFileSync(AWS_LOCK, "utf8") });
    }
  });

  it("puts none into the workloads stack, whose kubernetes provider no committed lock covers", () => {
    expect(existsSync(join(outdir, "stacks", "ode-prod-workloads", ".terraform.lock.hcl"))).toBe(false);
  });

  (shouldRunTerraform("provider lock file") ? it : it.skip)("is what terraform init verifies: -lockfile=readonly accepts the provider it installs", () => {
    const dir = mkdtempSync(join(tmpdir(), "provider-lock-init-"));
    try {
      for (const file of ["cdk.tf.json", ".terraform.lock.hcl"]) copyFileSync(join(outdir, "stacks", "muejam-prod-network", file), join(dir, file));
      const init = spawnSync("terraform", ["init", "-backend=false", "-input=false", "-lockfile=readonly", "-no-color"], { cwd: dir, env: terraformEnv(), encoding: "utf8" });
      expect({ status: init.status, output: init.stdout + init.stderr }).toMatchObject({ status: 0 });
      expect(readFileSync(join(dir, ".terraform.lock.hcl"), "utf8")).toBe(readFileSync(AWS_LOCK, "utf8"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
