import { spawnSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { withHarnessInputs } from "../harness/inputs";

const ROOT = join(__dirname, "..", "..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");

/**
 * Runs the app as `cdktf synth` does (CDKTF_OUTDIR set), with extra environment variables:
 * cdktf.json's app, the precompiled `scripts/app.js`, or the TypeScript itself through tsx.
 */
function runApp(outdir: string, env: NodeJS.ProcessEnv, from: "precompiled" | "typescript" = "precompiled") {
  const [command, args] = from === "precompiled" ? [process.execPath, ["scripts/app.js"]] : [TSX, ["main.ts"]];
  return spawnSync(command, args, {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, INFRA_SYSTEMS: "", INFRA_ENVIRONMENTS: "", INFRA_CONFIG: "", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
}

/** An output directory holding a previous, successful-looking synth, whose stack was `terraform init`ed. */
function staleOutdir(): string {
  const outdir = join(mkdtempSync(join(tmpdir(), "main-cli-")), "cdktf.out");
  mkdirSync(join(outdir, "stacks", "muejam-dev-network", ".terraform", "providers"), { recursive: true });
  writeFileSync(join(outdir, "manifest.json"), "{}");
  writeFileSync(join(outdir, "stacks", "muejam-dev-network", "cdk.tf.json"), "{}");
  writeFileSync(join(outdir, "stacks", "muejam-dev-network", ".terraform.lock.hcl"), "# lock\n");
  return outdir;
}

/** Every file left under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("fs").Dirent[])
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

describe("the app cdktf synth runs (cdktf.json's `node scripts/app.js`: main.ts, precompiled)", () => {
  it("synthesizes the default app: every system in dev", () => {
    const outdir = staleOutdir();
    const result = runApp(outdir, {});
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const text = readFileSync(join(outdir, "manifest.json"), "utf8");
    const manifest = JSON.parse(text);
    expect(Object.keys(manifest.stacks)).toEqual(expect.arrayContaining(["joblet-dev-network", "ode-dev-network"]));
    // reviewed output carries no path of the machine that ran synth (annotations' stack traces)
    expect(text).not.toContain(ROOT);
    expect(text).not.toContain("stacktrace");
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

    it("leaves nothing that looks like a synth, but keeps the initialized Terraform working directory", () => {
      expect(filesUnder(outdir)).toEqual([join("stacks", "muejam-dev-network", ".terraform.lock.hcl")]);
      expect(existsSync(join(outdir, "stacks", "muejam-dev-network", ".terraform", "providers"))).toBe(true);
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
            // Deliberately ill-typed values, as a user's JSON file may hold them.
            muejam: { prod: { network: { cidr: "10.0.0.0/33", azs: ["us-east-1a"], natGateways: "many" as never }, tags: { Project: "mine" } } },
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
      expect(result.stderr).toMatch(/Invalid configuration \(5 problems\)/);
      expect(filesUnder(outdir)).toEqual([]);
    });

    it("reports the type errors and the problems across keys of one system together", () => {
      for (const key of ["network.natGateways", "network.azs", "network.cidr", "tags.Project"]) {
        expect(result.stderr).toContain(`muejam/prod: ${key} = `);
      }
    });

    it("prints each problem once", () => {
      expect(result.stderr.split("muejam/prod: network.azs = ").length).toBe(2);
    });

    it("prints each problem once through `npm run synth` too, and exits 1", () => {
      const npm = spawnSync("npm", ["run", "--silent", "synth"], {
        cwd: ROOT,
        env: { ...process.env, CDKTF_OUTDIR: join(dir, "npm-out"), INFRA_SYSTEMS: "muejam,ode", INFRA_ENVIRONMENTS: "prod", INFRA_CONFIG: file },
        encoding: "utf8",
        timeout: 120_000,
      });
      expect(npm.status).toBe(1);
      expect(`${npm.stdout}${npm.stderr}`.split("muejam/prod: network.azs = ").length).toBe(2);
    });
  });

  it("`npm run synth` reports every problem of every module at once: two services, the database and Redis", () => {
    const dir = mkdtempSync(join(tmpdir(), "main-cli-"));
    try {
      const file = join(dir, "overrides.json");
      const mistakes = {
        algoitny: {
          prod: {
            compute: { services: { api: { minSize: 12 }, worker: { schedules: { offpeak: { timeZone: "Mars/Olympus" } } } } },
            redis: { nodeType: "t3.micro" },
          },
        },
        duewin: { prod: { rds: { instanceClass: "t3.medium" } } },
      };
      writeFileSync(file, JSON.stringify(withHarnessInputs({ systems: ["algoitny", "duewin"], environments: ["prod"] }, mistakes)));
      const npm = spawnSync("npm", ["run", "--silent", "synth"], {
        cwd: ROOT,
        env: { ...process.env, CDKTF_OUTDIR: join(dir, "cdktf.out"), INFRA_SYSTEMS: "algoitny,duewin", INFRA_ENVIRONMENTS: "prod", INFRA_CONFIG: file },
        encoding: "utf8",
        timeout: 120_000,
      });
      const output = `${npm.stdout}${npm.stderr}`;
      expect(npm.status).toBe(1);
      expect(output).toContain("Invalid configuration (4 problems)");
      for (const problem of [
        /algoitny\/prod: compute.services.api.minSize = 12\n {2}Problem: is greater than maxSize \(10\)/,
        /algoitny\/prod: compute.services.worker.schedules.offpeak.timeZone = "Mars\/Olympus"\n {2}Problem: is not an IANA time zone/,
        /algoitny\/prod: redis.nodeType = "t3.micro"\n {2}Problem: is not an ElastiCache node type/,
        /duewin\/prod: rds.instanceClass = "t3.medium"\n {2}Problem: is not an RDS instance class/,
      ]) {
        expect(output).toMatch(problem);
      }
      // desiredCapacity (2) is outside [12, 10] only because minSize is wrong; PI follows from the class
      expect(output).not.toContain("desiredCapacity");
      expect(output).not.toContain("performanceInsights");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("`npm run synth` writes every stack and prints the app's warnings once each", () => {
    const dir = mkdtempSync(join(tmpdir(), "main-cli-"));
    try {
      const npm = spawnSync("npm", ["run", "--silent", "synth"], {
        cwd: ROOT,
        env: { ...process.env, CDKTF_OUTDIR: join(dir, "cdktf.out"), INFRA_SYSTEMS: "muejam", INFRA_ENVIRONMENTS: "dev", INFRA_CONFIG: "" },
        encoding: "utf8",
        timeout: 120_000,
      });
      expect(npm.status).toBe(0);
      expect(readdirSync(join(dir, "cdktf.out", "stacks")).sort()).toEqual(["muejam-dev-compute", "muejam-dev-edge", "muejam-dev-network", "muejam-dev-storage"]);
      expect(npm.stderr.split("[WARN] muejam-dev-compute: muejam-dev-alb: TLS is off").length).toBe(2);
      expect(npm.stdout).toContain("Generated Terraform code for the stacks: muejam-dev-compute, muejam-dev-edge, muejam-dev-network, muejam-dev-storage");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects an overrides file that is not JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "main-cli-"));
    writeFileSync(join(dir, "bad.json"), "{ muejam: ");
    const result = runApp(join(dir, "cdktf.out"), { INFRA_CONFIG: join(dir, "bad.json") });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/INFRA_CONFIG = ".*bad.json"\n {2}Problem: is not valid JSON/);
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs precompiled (cdktf.json's app, scripts/app.js) with the same output as the TypeScript, after building what changed", () => {
    const cdktfJson = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")) as { app: string };
    expect(cdktfJson.app).toBe("node scripts/app.js");
    const dir = mkdtempSync(join(tmpdir(), "main-cli-"));
    try {
      // prod needs the required inputs: the harness's, as a user's INFRA_CONFIG file.
      const inputs = join(dir, "inputs.json");
      writeFileSync(inputs, JSON.stringify(withHarnessInputs({ systems: ["muejam", "ode"], environments: ["prod"] })));
      const env = { INFRA_SYSTEMS: "muejam,ode", INFRA_ENVIRONMENTS: "prod", INFRA_CONFIG: inputs };
      const compiled = runApp(join(dir, "js"), env);
      expect({ status: compiled.status, stderr: compiled.stderr }).toEqual({ status: 0, stderr: "" });
      const typescript = runApp(join(dir, "ts"), env, "typescript");
      expect(typescript.status).toBe(0);
      const stacks = readdirSync(join(dir, "ts", "stacks"));
      expect(readdirSync(join(dir, "js", "stacks"))).toEqual(stacks);
      for (const stack of stacks) {
        const read = (which: string) => readFileSync(join(dir, which, "stacks", stack, "cdk.tf.json"), "utf8");
        expect({ stack, same: read("js") === read("ts") }).toEqual({ stack, same: true });
      }
      // every source has an output at least as new as itself: nothing stale can run
      const sources = ["main.ts", ...(readdirSync(join(ROOT, "src"), { recursive: true }) as string[]).map((f) => join("src", f)).filter((f) => f.endsWith(".ts"))];
      for (const source of sources) {
        const output = join(ROOT, ".build", source.replace(/\.ts$/, ".js"));
        expect({ source, fresh: existsSync(output) && statSync(output).mtimeMs >= statSync(join(ROOT, source)).mtimeMs }).toEqual({ source, fresh: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
