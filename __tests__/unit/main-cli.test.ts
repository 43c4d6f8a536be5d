import { spawnSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { withHarnessInputs } from "../harness/inputs";

const ROOT = join(__dirname, "..", "..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");

/** Runs the app as `cdktf synth` does (CDKTF_OUTDIR set), with extra environment variables. */
function runApp(outdir: string, env: NodeJS.ProcessEnv) {
  return spawnSync(TSX, ["main.ts"], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, INFRA_SYSTEMS: "", INFRA_ENVIRONMENTS: "", INFRA_CONFIG: "", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

/** An output directory holding a previous, successful-looking synth. */
function staleOutdir(): string {
  const outdir = join(mkdtempSync(join(tmpdir(), "main-cli-")), "cdktf.out");
  mkdirSync(join(outdir, "stacks", "muejam-dev-network"), { recursive: true });
  writeFileSync(join(outdir, "manifest.json"), "{}");
  writeFileSync(join(outdir, "stacks", "muejam-dev-network", "cdk.tf.json"), "{}");
  return outdir;
}

describe("main.ts (the app cdktf synth runs)", () => {
  it("synthesizes the default app: every system in dev", () => {
    const outdir = staleOutdir();
    const result = runApp(outdir, {});
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks)).toEqual(expect.arrayContaining(["joblet-dev-network", "ode-dev-network"]));
    rmSync(outdir, { recursive: true, force: true });
  });

  describe.each([
    ["an unknown environment", { INFRA_ENVIRONMENTS: "qa" }, /INFRA_ENVIRONMENTS = "qa"\n {2}Problem: names "qa", which is not a known environment\n {2}Fix: use a comma-separated list of dev, staging, prod/],
    ["an unknown system", { INFRA_SYSTEMS: "muejam,acme" }, /INFRA_SYSTEMS = "muejam,acme"\n {2}Problem: names "acme", which is not a known system/],
  ])("with %s", (_, env, message) => {
    const outdir = staleOutdir();
    const result = runApp(outdir, env);
    afterAll(() => rmSync(join(outdir, ".."), { recursive: true, force: true }));

    it("exits 1 with a message naming the key, the value and the fix", () => {
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(message);
    });

    it("prints no stack trace", () => {
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });

    it("leaves no stale cdktf.out behind", () => {
      expect(existsSync(outdir)).toBe(false);
    });
  });

  describe("with an overrides file holding bad settings", () => {
    const dir = mkdtempSync(join(tmpdir(), "main-cli-"));
    const file = join(dir, "overrides.json");
    writeFileSync(
      file,
      // Over the required inputs a prod synth needs (the harness's), so only the bad settings fail.
      JSON.stringify(
        withHarnessInputs(
          { systems: ["muejam", "ode"], environments: ["prod"] },
          {
            muejam: { prod: { network: { cidr: "10.0.0.0/33", azs: ["us-east-1a"] } } },
            ode: { prod: { network: { publicSubnets: { cidrs: { "us-east-1a": "10.0.0.0/24" } } } } },
          },
        ),
      ),
    );
    const outdir = join(dir, "cdktf.out");
    const result = runApp(outdir, { INFRA_SYSTEMS: "muejam,ode", INFRA_ENVIRONMENTS: "prod", INFRA_CONFIG: file });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("reports every system's problem, located by system and environment", () => {
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/muejam\/prod: network.azs = \["us-east-1a"\]/);
      expect(result.stderr).toMatch(/ode\/prod: network.publicSubnets.cidrs.us-east-1b = \(not set\)/);
      expect(result.stderr).toMatch(/Invalid configuration \(2 problems\)/);
      expect(existsSync(outdir) ? readdirSync(outdir) : []).toEqual([]);
    });
  });

  it("rejects an overrides file that is not JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "main-cli-"));
    writeFileSync(join(dir, "bad.json"), "{ muejam: ");
    const result = runApp(join(dir, "cdktf.out"), { INFRA_CONFIG: join(dir, "bad.json") });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/INFRA_CONFIG = ".*bad.json"\n {2}Problem: is not valid JSON/);
    rmSync(dir, { recursive: true, force: true });
  });
});
