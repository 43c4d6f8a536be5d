import { spawnSync } from "child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, posix } from "path";
import { App } from "cdktf";
import { parse } from "yaml";
import { buildSystems } from "../../src/app";
import { writeProviderLocks } from "../../src/lib/provider-locks";
import { SYSTEMS } from "../../src/systems";
import {
  APP_SOURCES,
  atlantisConfig,
  PlanStack,
  planWaves,
  readPlanGraph,
  renderAtlantisYaml,
  satisfies,
  stackDepths,
  TERRAFORM_CLI_VERSION,
} from "../../scripts/plan-graph";
import { AtlantisProject, RepoConfig, RepoConfigSchema } from "../harness/atlantis-schema";
import { planHarness } from "../harness/synth";

/**
 * `npm run atlantis` (scripts/atlantis.ts, scripts/plan-graph.ts): atlantis.yaml and the CI
 * waves from a real synth of the default app (every system, dev), with the S3 backend a team
 * running Atlantis uses, written the way `npm run synth` writes it (stacks and provider lock
 * files) into a temporary repository root. The file is checked against the structure Atlantis
 * documents (../harness/atlantis-schema.ts) and against the synthesized stacks themselves.
 */

const SELECTION = {
  systems: Object.keys(SYSTEMS),
  environments: ["dev"],
  backend: { type: "s3" as const, bucket: "atlantis-harness-terraform-state", region: "us-east-1" },
};

/** Synthesizes the default app into `<root>/cdktf.out`, as `npm run synth` does; returns the root. */
function synthRepo(): string {
  const root = mkdtempSync(join(tmpdir(), "atlantis-repo-"));
  const outdir = join(root, "cdktf.out");
  const app = new App({ outdir });
  const stacks = buildSystems(app, planHarness(SELECTION));
  app.synth();
  writeProviderLocks(outdir, stacks);
  return root;
}

type Manifest = { stacks: Record<string, { name: string; dependencies: string[]; workingDirectory: string }> };

const roots: string[] = [];
let root: string;
let manifest: Manifest;
let text: string;
let config: RepoConfig;
let projects: Map<string, AtlantisProject>;

beforeAll(() => {
  root = synthRepo();
  roots.push(root);
  manifest = JSON.parse(readFileSync(join(root, "cdktf.out", "manifest.json"), "utf8")) as Manifest;
  text = renderAtlantisYaml(atlantisConfig(readPlanGraph(join(root, "cdktf.out"), root)));
  config = RepoConfigSchema.parse(parse(text));
  projects = new Map((config.projects ?? []).map((p) => [p.name ?? "", p]));
});

afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** The stacks a synthesized stack reads through cdktf's cross-stack remote state, from its cdk.tf.json. */
function remoteStateReads(dir: string): string[] {
  const json = JSON.parse(readFileSync(join(root, dir, "cdk.tf.json"), "utf8")) as { data?: { terraform_remote_state?: Record<string, unknown> } };
  const prefix = "cross-stack-reference-input-";
  return Object.keys(json.data?.terraform_remote_state ?? {})
    .filter((n) => n.startsWith(prefix))
    .map((n) => n.slice(prefix.length))
    .sort();
}

describe("atlantis.yaml from a synth of the default app", () => {
  it("has the structure Atlantis documents for a version 3 repo config", () => {
    expect(config.version).toBe(3);
    expect(config).toMatchObject({ parallel_plan: true, parallel_apply: true, abort_on_execution_order_fail: true });
    // The schema is strict: a misspelt key fails, as Atlantis's decoder fails it.
    expect(() => RepoConfigSchema.parse({ ...config, parralel_plan: true })).toThrow(/parralel_plan/);
    expect(() => RepoConfigSchema.parse({ version: 3, projects: [{ dir: "a", terraform_version: ">= 1.10.0" }] })).toThrow(/not a constraint/);
  });

  it("has one project per stack, named after it, in the stack's synthesized folder", () => {
    const stacks = Object.keys(manifest.stacks).sort();
    expect(stacks.length).toBeGreaterThan(20);
    expect([...projects.keys()].sort()).toEqual(stacks);
    for (const [name, p] of projects) {
      expect(p.dir).toBe(`cdktf.out/${manifest.stacks[name].workingDirectory}`);
      expect(existsSync(join(root, p.dir, "cdk.tf.json"))).toBe(true);
      expect(p.workflow).toBeUndefined(); // the default workflow: no server-side allowed_overrides needed
    }
  });

  it("depends on exactly the stacks each one reads through remote state, all of them projects", () => {
    let edges = 0;
    for (const [name, p] of projects) {
      const dependsOn = p.depends_on ?? [];
      for (const dep of dependsOn) expect(projects.has(dep)).toBe(true);
      expect(dependsOn).toEqual(remoteStateReads(p.dir));
      expect(dependsOn).toEqual([...manifest.stacks[name].dependencies].sort());
      edges += dependsOn.length;
    }
    expect(edges).toBeGreaterThan(10);
  });

  it("orders each project after everything it depends on, at its depth in the graph", () => {
    const groupOf = (name: string) => projects.get(name)?.execution_order_group as number;
    for (const p of projects.values()) {
      const deps = p.depends_on ?? [];
      for (const dep of deps) expect(p.execution_order_group).toBeGreaterThan(groupOf(dep));
      // Its depth, not just any larger number: a root is in group 0, any other one group after its deepest dependency.
      expect(p.execution_order_group).toBe(deps.length === 0 ? 0 : 1 + Math.max(...deps.map(groupOf)));
    }
    expect(groupOf("algoitny-dev-network")).toBe(0);
    expect(groupOf("algoitny-dev-services")).toBe(1);
    expect(groupOf("algoitny-dev-compute")).toBe(2);
    expect(groupOf("duewin-dev-network")).toBe(0);
    expect(groupOf("duewin-dev-compute")).toBe(1);
    expect(groupOf("duewin-dev-data")).toBe(2);
  });

  it("autoplans when the stack's synthesized configuration or its provider lock file changes", () => {
    let locked = 0;
    for (const p of projects.values()) {
      const lock = existsSync(join(root, p.dir, ".terraform.lock.hcl"));
      expect(p.autoplan).toEqual({ enabled: true, when_modified: lock ? ["cdk.tf.json", ".terraform.lock.hcl"] : ["cdk.tf.json"] });
      if (lock) locked++;
    }
    // The AWS stacks get the committed lock file; ODE's workloads stack (kubernetes provider) has none.
    expect(locked).toBe(projects.size - 1);
    expect(projects.get("ode-dev-workloads")?.autoplan?.when_modified).toEqual(["cdk.tf.json"]);
  });

  it("pins a Terraform version every stack's required_version accepts", () => {
    for (const p of projects.values()) {
      expect(p.terraform_version).toBe(TERRAFORM_CLI_VERSION);
      const required = (JSON.parse(readFileSync(join(root, p.dir, "cdk.tf.json"), "utf8")) as { terraform: { required_version: string } }).terraform.required_version;
      expect(satisfies(TERRAFORM_CLI_VERSION, required)).toBe(true);
    }
    const graph = readPlanGraph(join(root, "cdktf.out"), root);
    expect(() => atlantisConfig(graph, { terraformVersion: "1.10.5" })).toThrow(/terraform version 1\.10\.5 does not satisfy stack "[a-z-]+"'s required_version ">= 1\.11\.0, < 2\.0\.0"/);
    expect(() => atlantisConfig(graph, { terraformVersion: "2.0.0" })).toThrow(/does not satisfy/);
  });

  it("is byte-stable: a second synth in another folder, and a manifest in another order, give the same file", () => {
    const again = synthRepo();
    roots.push(again);
    expect(renderAtlantisYaml(atlantisConfig(readPlanGraph(join(again, "cdktf.out"), again)))).toBe(text);

    const shuffled = join(again, "cdktf.out", "manifest.json");
    const m = JSON.parse(readFileSync(shuffled, "utf8")) as Manifest;
    const reversed = Object.fromEntries(
      Object.entries(m.stacks)
        .reverse()
        .map(([k, v]) => [k, { ...v, dependencies: [...v.dependencies].reverse() }]),
    );
    writeFileSync(shuffled, JSON.stringify({ ...m, stacks: reversed }));
    expect(renderAtlantisYaml(atlantisConfig(readPlanGraph(join(again, "cdktf.out"), again)))).toBe(text);
    expect(text.startsWith("# Generated by `npm run atlantis`")).toBe(true);
  });

  it("in hook mode, also autoplans every project when the app's sources change", () => {
    const graph = readPlanGraph(join(root, "cdktf.out"), root);
    const hook = RepoConfigSchema.parse(parse(renderAtlantisYaml(atlantisConfig(graph, { synth: "hook", extraSources: ["config/prod.json"] }), "hook")));
    for (const p of hook.projects ?? []) {
      const fromRoot = (p.autoplan?.when_modified ?? []).map((pattern) => posix.normalize(posix.join(p.dir, pattern)));
      expect(fromRoot).toEqual(
        expect.arrayContaining([`${p.dir}/cdk.tf.json`, ...APP_SOURCES, "config/prod.json"]),
      );
    }
    expect(() => atlantisConfig(graph, { extraSources: ["config/prod.json"] })).toThrow(/only apply when synth runs in a pre-workflow hook/);
    // The sources named are this repository's: a moved or renamed one would silently stop autoplanning.
    const repo = join(__dirname, "..", "..");
    for (const source of APP_SOURCES) expect(existsSync(join(repo, source.replace(/\/\*\*$/, "")))).toBe(true);
  });
});

describe("the same graph as CI waves", () => {
  it("puts each stack in the wave of its execution order group, after every stack it reads", () => {
    const waves = planWaves(readPlanGraph(join(root, "cdktf.out"), root));
    expect(waves.flat().map((w) => w.stack).sort()).toEqual([...projects.keys()].sort());
    // No empty wave and no hole (a hole would be `null` in the JSON a CI matrix reads).
    expect(Object.keys(waves)).toEqual([...waves.keys()].map(String));
    expect(waves.length).toBe(4);
    waves.forEach((wave, i) => {
      expect(wave.length).toBeGreaterThan(0);
      for (const { stack, dir } of wave) {
        const p = projects.get(stack) as AtlantisProject;
        expect(p.execution_order_group).toBe(i);
        expect(dir).toBe(p.dir);
        const earlier = new Set(waves.slice(0, i).flat().map((w) => w.stack));
        for (const dep of p.depends_on ?? []) expect(earlier.has(dep)).toBe(true);
      }
    });
  });
});

describe("graphs that cannot be planned in order", () => {
  it("fails on a cycle, naming it", () => {
    expect(() => stackDepths({ a: ["b"], b: ["c"], c: ["a"], d: [] })).toThrow(/stack dependency cycle: a -> b -> c -> a\./);
    expect(() => stackDepths({ a: ["a"] })).toThrow(/cycle: a -> a\./);
  });

  it("fails on a cycle in a synthesized manifest", () => {
    const copy = mkdtempSync(join(tmpdir(), "atlantis-cycle-"));
    roots.push(copy);
    cpSync(join(root, "cdktf.out"), join(copy, "cdktf.out"), { recursive: true });
    const file = join(copy, "cdktf.out", "manifest.json");
    const m = JSON.parse(readFileSync(file, "utf8")) as Manifest;
    m.stacks["duewin-dev-network"].dependencies = ["duewin-dev-data"];
    writeFileSync(file, JSON.stringify(m));
    expect(() => readPlanGraph(join(copy, "cdktf.out"), copy)).toThrow(
      /stack dependency cycle: duewin-dev-compute -> duewin-dev-network -> duewin-dev-data -> duewin-dev-compute\./,
    );
  });

  it("fails on a dependency on a stack the manifest does not hold", () => {
    expect(() => stackDepths({ "muejam-dev-compute": ["muejam-dev-network"] })).toThrow(
      /stack "muejam-dev-compute" depends on "muejam-dev-network", which the manifest does not hold \(stacks: muejam-dev-compute\)/,
    );
  });

  it("refuses a stack whose state is a local file unless told", () => {
    const local: PlanStack = { name: "x-dev-network", dir: "cdktf.out/stacks/x-dev-network", configFile: "cdk.tf.json", lockFile: false, dependsOn: [], group: 0, backend: "local" };
    expect(() => atlantisConfig([local])).toThrow(/stack "x-dev-network" keeps its state in a local file.*INFRA_STATE_BACKEND=s3/);
    expect(atlantisConfig([local], { allowLocalBackend: true })).toMatchObject({ projects: [{ name: "x-dev-network" }] });
  });

  it("refuses a synth folder outside the repository root", () => {
    expect(() => readPlanGraph(join(root, "cdktf.out"), join(root, "cdktf.out", "stacks", "ode-dev-eks"))).toThrow(/is not inside the repository root/);
  });
});

describe("Terraform version constraints", () => {
  it.each([
    ["1.11.4", ">= 1.10.0, < 2.0.0", true],
    ["1.10.0", ">= 1.10.0, < 2.0.0", true],
    ["1.9.8", ">= 1.10.0, < 2.0.0", false],
    ["2.0.0", ">= 1.10.0, < 2.0.0", false],
    ["1.11.4", "~> 1.11.0", true],
    ["1.12.0", "~> 1.11.0", false],
    ["1.12.0", "~> 1.11", true],
    ["2.0.0", "~> 1.11", false],
    ["1.11.4", "1.11.4", true],
    ["1.11.4", "!= 1.11.4", false],
  ])("%s against %s: %s", (version, constraint, expected) => {
    expect(satisfies(version, constraint)).toBe(expected);
  });
});

describe("npm run atlantis", () => {
  const tsx = join(__dirname, "..", "..", "node_modules", ".bin", "tsx");
  const script = join(__dirname, "..", "..", "scripts", "atlantis.ts");
  const run = (...args: string[]) => spawnSync(tsx, [script, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, CDKTF_OUTDIR: "" } });

  it("writes atlantis.yaml at the root, checks it, and prints the waves", () => {
    const write = run();
    expect(write.stderr).toBe("");
    expect(write.stdout).toMatch(/atlantis\.yaml: \d+ projects in 4 execution order groups/);
    expect(readFileSync(join(root, "atlantis.yaml"), "utf8")).toBe(text);
    expect(run("--check").status).toBe(0);
    writeFileSync(join(root, "atlantis.yaml"), text.replace("parallel_plan: true", "parallel_plan: false"));
    const stale = run("--check");
    expect(stale.status).toBe(1);
    expect(stale.stderr).toMatch(/atlantis\.yaml is not what `npm run atlantis` writes/);
    const matrix = run("--matrix");
    expect(JSON.parse(matrix.stdout)).toEqual(planWaves(readPlanGraph(join(root, "cdktf.out"), root)));
    expect(run("--synth", "sometimes").stderr).toMatch(/--synth is "sometimes"; use committed or hook/);
  });
});
