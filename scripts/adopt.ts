/**
 * npm run adopt -- --state <file>... [--system <name>] [--env <environment>] [--out <dir>]
 *
 * Brings existing Terraform state (`terraform state pull` of hand-written configurations)
 * under the project's stacks, offline: synthesizes the target stacks, matches each existing
 * resource to a stack and address by identity (type and identifying attributes, never
 * position), and writes to the output folder (default `adopt.out`):
 * - `stacks/<stack>/adopt.tf.json`: `import` blocks with the existing ids, to drop next to the
 *   stack's cdk.tf.json for one apply;
 * - `retire/<state>/adopt_removed.tf.json`: `removed { lifecycle { destroy = false } }` blocks
 *   for the old configuration, so that retiring it destroys nothing adopted;
 * - `adopt-report.md` (and `.json`).
 * Each stack is re-planned (-refresh=false) against the state its imports produce: any
 * replacement or destroy of an adopted resource stops the adoption (exit 2) with the reason.
 *
 * The selection and settings follow the usual variables (INFRA_SYSTEMS, INFRA_ENVIRONMENTS,
 * INFRA_CONFIG); --system and --env set the first two. See docs/adopt.md.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { terraformUnavailable } from "../__tests__/harness/terraform";
import { TerraformState } from "./replan/state";
import { adopt, exitCode, renderAdoptMarkdown } from "./adopt/engine";

const USAGE = "usage: npm run adopt -- --state <file> [--state <file>...] [--system <name>] [--env <environment>] [--out <dir>]";

interface Args {
  states: string[];
  system?: string;
  env?: string;
  out: string;
}

function fail(message: string, code = 64): never {
  process.stderr.write(`adopt: ${message}\n`);
  process.exit(code);
}

function parseArgs(argv: string[]): Args {
  const args: Args = { states: [], out: "adopt.out" };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined || value.startsWith("--")) fail(`${flag} needs a value\n${USAGE}`);
    if (flag === "--state") args.states.push(value);
    else if (flag === "--system") args.system = value;
    else if (flag === "--env") args.env = value;
    else if (flag === "--out") args.out = value;
    else fail(`unknown argument ${flag}\n${USAGE}`);
    i++;
  }
  if (args.states.length === 0) fail(`give at least one --state file (terraform state pull > old.tfstate)\n${USAGE}`);
  return args;
}

function readState(file: string): TerraformState {
  let state: TerraformState;
  try {
    state = JSON.parse(readFileSync(file, "utf8")) as TerraformState;
  } catch (e) {
    return fail(`--state ${file} cannot be read as JSON (${(e as Error).message}): pass the output of terraform state pull`);
  }
  if (state.version !== 4 || !Array.isArray(state.resources)) fail(`--state ${file} is not a Terraform state of format version 4 (terraform state pull writes one)`);
  const bad = (state.resources as unknown[]).findIndex((r) => !isStateResource(r));
  if (bad >= 0) {
    fail(`--state ${file}: resources[${bad}] is not a resource as Terraform writes one (mode "managed" or "data", type, name, provider, instances): pass the output of terraform state pull, unedited`);
  }
  return state;
}

/** Whether `value` has the fields Terraform requires of a resource in a state file. */
function isStateResource(value: unknown): boolean {
  const r = value as Record<string, unknown> | null;
  const named = (key: string) => typeof r?.[key] === "string" && r[key] !== "";
  return r !== null && typeof r === "object" && (r.mode === "managed" || r.mode === "data") && named("type") && named("name") && named("provider") && Array.isArray(r.instances);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const states = args.states.map((file) => ({ source: file, state: readState(file) }));
  const unavailable = terraformUnavailable();
  if (unavailable) fail(`cannot plan offline: ${unavailable}`, 1);
  const root = resolve(__dirname, "..");
  const outdir = mkdtempSync(join(tmpdir(), "adopt-synth-"));
  try {
    const env = {
      ...process.env,
      CDKTF_OUTDIR: outdir,
      CHECKPOINT_DISABLE: "1",
      ...(args.system ? { INFRA_SYSTEMS: args.system } : {}),
      ...(args.env ? { INFRA_ENVIRONMENTS: args.env } : {}),
    };
    const synth = spawnSync(process.execPath, [join(__dirname, "app.js")], { cwd: root, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (synth.status !== 0) fail(`synth failed (exit ${synth.status}):\n${synth.stderr}${synth.stdout}`, 1);
    const result = adopt({ outdir, states, out: args.out, progress: (m) => process.stderr.write(`adopt: ${m}\n`) });
    process.stdout.write(`${renderAdoptMarkdown(result)}\n`);
    process.stderr.write(`adopt: wrote ${args.out}/ (adopt-report.md, stacks/<stack>/adopt.tf.json, retire/<state>/adopt_removed.tf.json)\n`);
    const code = exitCode(result);
    if (code !== 0) process.stderr.write(`adopt: stopped: ${result.stopped.join("; ")}\n`);
    process.exitCode = code;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

main();
