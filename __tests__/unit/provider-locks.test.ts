import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App } from "cdktf";
import { buildSystems } from "../../src/app";
import { PROVIDER_LOCKS_DIR, writeProviderLocks } from "../../src/lib/provider-locks";
import { planHarness } from "../harness/synth";

/**
 * Which committed lock file synth copies into which stack (src/lib/provider-locks.ts): the one
 * whose providers are exactly the stack's. So the `workloads` stack, which requires only
 * hashicorp/kubernetes, takes a `provider-locks/kubernetes/` folder, as the README says, and
 * nothing else.
 */
const KUBERNETES_LOCK = [
  "# A stand-in: the offline mirror has no kubernetes provider to lock.",
  'provider "registry.terraform.io/hashicorp/kubernetes" {',
  '  version     = "2.38.0"',
  '  constraints = "2.38.0"',
  '  hashes = ["h1:stand-in-for-the-test="]',
  "}",
  "",
].join("\n");

describe("provider lock files by provider set", () => {
  const root = mkdtempSync(join(tmpdir(), "provider-locks-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** ODE's prod stacks synthesized into a new folder, with the lock folders `sets` (name -> lock file text) beside the committed aws one. */
  function synthWith(sets: Record<string, string>): string {
    const locks = mkdtempSync(join(root, "locks-"));
    cpSync(join(PROVIDER_LOCKS_DIR, "aws"), join(locks, "aws"), { recursive: true });
    for (const [set, text] of Object.entries(sets)) {
      mkdirSync(join(locks, set));
      writeFileSync(join(locks, set, ".terraform.lock.hcl"), text);
    }
    const outdir = mkdtempSync(join(root, "out-"));
    const app = new App({ outdir });
    const stacks = buildSystems(app, planHarness({ systems: ["ode"], environments: ["prod"] }));
    app.synth();
    writeProviderLocks(outdir, stacks, locks);
    return outdir;
  }
  const lockOf = (outdir: string, stack: string) => join(outdir, "stacks", stack, ".terraform.lock.hcl");

  it("gives the workloads stack a kubernetes-only lock, and the aws stacks the aws one", () => {
    const outdir = synthWith({ kubernetes: KUBERNETES_LOCK });
    expect(readFileSync(lockOf(outdir, "ode-prod-workloads"), "utf8")).toBe(KUBERNETES_LOCK);
    expect(readFileSync(lockOf(outdir, "ode-prod-eks"), "utf8")).toBe(readFileSync(join(PROVIDER_LOCKS_DIR, "aws", ".terraform.lock.hcl"), "utf8"));
  });

  it("gives it none from a lock of kubernetes and aws, which `terraform init -lockfile=readonly` would refuse for the provider it does not require", () => {
    const aws = readFileSync(join(PROVIDER_LOCKS_DIR, "aws", ".terraform.lock.hcl"), "utf8");
    const outdir = synthWith({ "kubernetes-aws": `${aws}\n${KUBERNETES_LOCK}` });
    expect(existsSync(lockOf(outdir, "ode-prod-workloads"))).toBe(false);
  });
});
