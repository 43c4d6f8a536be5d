/**
 * `npm run bench`: prints synth and plan figures. Nothing here is asserted; the numbers
 * are for people. Runs each measurement several times and prints min / median / max.
 *
 *   1. `cdktf synth` of the default app next to `cdktf synth` of an empty app (the floor no
 *      project can go below: the CLI's own start-up and checks), interleaved in one run
 *   2. the app alone (every system, dev), precompiled (what cdktf.json runs) and under tsx
 *   3. synth of a large configuration (6 AZs where the region has them, dev+staging+prod)
 *   3. `terraform plan` of one networking stack (offline, as the test harness runs it)
 *   4. what per-path provider imports save: importing one resource vs the package root
 */
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { availabilityZones } from "../src/lib/regions";
import { SYSTEMS } from "../src/systems";
import { synthToDisk } from "../__tests__/harness/synth";
import { terraformEnv, TerraformWorkdir, terraformUnavailable } from "../__tests__/harness/terraform";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ROOT = join(__dirname, "..");

interface Sample {
  seconds: number;
  maxRssMb: number;
}

/** Runs `node <args>` and returns its wall time and peak RSS (read by the child at exit). */
function measureNode(args: string[], env: NodeJS.ProcessEnv = {}): Sample {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["--require", join(__dirname, "report-rss.js"), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed:\n${result.stderr}`);
  const rss = /MAX_RSS_KB=(\d+)/.exec(result.stderr);
  return { seconds, maxRssMb: rss ? Number(rss[1]) / 1024 : NaN };
}

function summarize(label: string, samples: Sample[]): void {
  const stat = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] };
  };
  const t = stat(samples.map((s) => s.seconds));
  const m = stat(samples.map((s) => s.maxRssMb));
  const fmt = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
  console.log(
    `${label.padEnd(52)} time s  min ${fmt(t.min, 2)}  median ${fmt(t.median, 2)}  max ${fmt(t.max, 2)}` +
      `   peak RSS MB  min ${fmt(m.min, 0)}  median ${fmt(m.median, 0)}  max ${fmt(m.max, 0)}`,
  );
}

function repeat(fn: () => Sample): Sample[] {
  return Array.from({ length: RUNS }, fn);
}

/** The app alone: precompiled (scripts/app.js, what cdktf.json runs) or compiled on the fly by tsx. */
function synthApp(env: NodeJS.ProcessEnv, how: "precompiled" | "tsx" = "precompiled"): Sample {
  const outdir = mkdtempSync(join(tmpdir(), "bench-out-"));
  try {
    return measureNode(how === "tsx" ? ["--import", "tsx", "main.ts"] : ["scripts/app.js"], { CDKTF_OUTDIR: outdir, ...env });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const CDKTF = join(ROOT, "node_modules", ".bin", "cdktf");

/** `cdktf synth` in `cwd`: wall time, and the peak RSS of its largest process (GNU time). */
function cliSynth(cwd: string): Sample {
  const outdir = mkdtempSync(join(tmpdir(), "bench-cli-"));
  try {
    const start = process.hrtime.bigint();
    const result = spawnSync("/usr/bin/time", ["-f", "MAX_RSS_KB=%M", CDKTF, "synth", "--output", outdir], {
      cwd,
      env: { ...process.env, CHECKPOINT_DISABLE: "1", INFRA_SYSTEMS: "", INFRA_ENVIRONMENTS: "", INFRA_CONFIG: "" },
      encoding: "utf8",
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.status !== 0) throw new Error(`cdktf synth failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
    const rss = /MAX_RSS_KB=(\d+)/.exec(result.stderr);
    return { seconds, maxRssMb: rss ? Number(rss[1]) / 1024 : NaN };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** A project whose app synthesizes nothing: what `cdktf synth` costs before any project code runs. */
function emptyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "bench-empty-"));
  const app = `node -e 'new (require(${JSON.stringify(join(ROOT, "node_modules", "cdktf"))}).App)().synth()'`;
  writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app, sendCrashReports: "false" }));
  return dir;
}

function median(samples: Sample[]): number {
  return [...samples.map((s) => s.seconds)].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
}

function largeOverrides(): string {
  const overrides: Record<string, unknown> = {};
  for (const [name, system] of Object.entries(SYSTEMS)) {
    const region = String(system.preset("prod").region);
    overrides[name] = { all: { network: { azs: availabilityZones(region).slice(0, 6) } } };
  }
  const file = join(mkdtempSync(join(tmpdir(), "bench-cfg-")), "large.json");
  writeFileSync(file, JSON.stringify(overrides));
  return file;
}

function main(): void {
  console.log(`node ${process.version}, ${RUNS} runs each\n`);

  spawnSync(process.execPath, [join(ROOT, "scripts", "app.js"), "--build"], { cwd: ROOT }); // build once, outside the timings
  const empty = emptyProject();
  const floor: Sample[] = [];
  const project: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    floor.push(cliSynth(empty));
    project.push(cliSynth(ROOT));
  }
  rmSync(empty, { recursive: true, force: true });
  summarize("cdktf synth: empty app (the floor)", floor);
  summarize("cdktf synth: default app (5 systems, dev)", project);
  console.log(`${"cdktf synth: default app / floor (medians)".padEnd(52)} ${(median(project) / median(floor)).toFixed(2)}x\n`);

  const defaults = { INFRA_SYSTEMS: "", INFRA_ENVIRONMENTS: "", INFRA_CONFIG: "" };
  summarize("app alone: default app, precompiled (cdktf.json)", repeat(() => synthApp(defaults)));
  summarize("app alone: default app, under tsx", repeat(() => synthApp(defaults, "tsx")));

  const large = largeOverrides();
  summarize(
    "synth: large (5 systems x dev,staging,prod, max AZs)",
    repeat(() => synthApp({ INFRA_SYSTEMS: "", INFRA_ENVIRONMENTS: "dev,staging,prod", INFRA_CONFIG: large })),
  );

  summarize("import: one resource by path (lib/vpc)", repeat(() => measureNode(["-e", 'require("@cdktf/provider-aws/lib/vpc")'])));
  summarize("import: the @cdktf/provider-aws package root", repeat(() => measureNode(["-e", 'require("@cdktf/provider-aws")'])));

  const unavailable = terraformUnavailable();
  if (unavailable) {
    console.log(`\nSKIP terraform plan: ${unavailable}`);
    return;
  }
  const { outdir } = synthToDisk({ systems: ["ode"], environments: ["prod"] });
  const workdir = new TerraformWorkdir(outdir, "ode-prod-network");
  try {
    workdir.plan(); // init once; the runs below time the plan alone
    summarize(
      "terraform plan: ode-prod-network (offline)",
      repeat(() => {
        // GNU time reports the terraform process's peak RSS (the provider runs as a child of it).
        const start = process.hrtime.bigint();
        const result = spawnSync("/usr/bin/time", ["-f", "MAX_RSS_KB=%M", "terraform", "plan", "-input=false", "-lock=false", "-no-color"], {
          cwd: workdir.dir,
          env: terraformEnv(),
          encoding: "utf8",
        });
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        if (result.status !== 0) throw new Error(`terraform plan failed:\n${result.stderr}`);
        const rss = /MAX_RSS_KB=(\d+)/.exec(result.stderr);
        return { seconds, maxRssMb: rss ? Number(rss[1]) / 1024 : NaN };
      }),
    );
  } finally {
    workdir.dispose();
    rmSync(outdir, { recursive: true, force: true });
  }
}

main();
