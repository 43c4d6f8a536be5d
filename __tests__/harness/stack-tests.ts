import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { basename, join, relative, resolve } from "path";
import { renderMockFile } from "./fake-values";
import { runTerraform, TerraformResult } from "./terraform";
import { mergeApplyRuns, RUN_HEAD, TestFile, topLevelBlockEnd } from "./tftest-merge";

/**
 * The mock-apply rung (`terraform test`) for many stacks in ONE terraform process: every
 * terraform command pays a fixed ~3 s to load the aws provider's schema, so one process per
 * stack costs more than the tests themselves.
 *
 * How: each stack's `.tftest.hcl` files are copied into `<root>/tests/`, and each of their
 * `run` blocks gets `module { source = "<relative path to the stack>" }`, so that run applies
 * the stack's configuration (with its override files) and its asserts read the stack's
 * resources as before. Each file keeps its own `mock_provider` blocks (aliased ones too,
 * e.g. the edge stacks' `aws.us_east_1`) and `override_resource` blocks; their
 * `source = "./tests/mocks"` resolves from the root. Runs of one file share one state, as
 * they did; each file's state is torn down after it. `terraform test -json` tags every
 * message with its file and run, so results are attributed per stack.
 *
 * What it saves is one process start and one `init` per stack: within the process, terraform
 * 1.11 still starts the aws provider for each operation of each run (about 6 per run, ~1 s
 * each), so the time is mostly per run and per file, not per stack. So a stack's files are
 * first merged into as few runs as they allow (./tftest-merge.ts).
 */

export interface StackTestInput {
  /** The stack's name, e.g. `algoitny-dev-data`. */
  readonly stack: string;
  /**
   * An absolute directory holding the stack's `cdk.tf.json` and `zz_harness_override.tf.json`
   * (a TerraformWorkdir after writeOfflineOverride(): remote-state stand-ins inside).
   */
  readonly dir: string;
  /** The stack's `.tftest.hcl` directories (tftestDirsOf); none: a generated apply-only test. */
  readonly testsDirs: readonly string[];
}

export interface StackTestResult {
  readonly passed: number;
  /** Failed or errored runs; 1 when every run passed but an error other than a prevent_destroy refusal occurred; -1 when terraform gave no summary. */
  readonly failed: number;
  /** The resources whose `prevent_destroy` refused the teardown after the runs, sorted. */
  readonly protectedFromDestroy: string[];
  /** The stack's part of terraform's output (and any output no file owns). */
  readonly output: string;
}

/** The refusal `prevent_destroy` gives to the teardown: the protection working, not a failure. */
const PREVENT_DESTROY_REFUSAL = "Instance cannot be destroyed";

/** Runs every stack's .tftest.hcl files in one `terraform test` in `root` (a directory this function owns). */
export function testStacks(root: string, inputs: readonly StackTestInput[]): Map<string, StackTestResult> {
  const stacks = inputs.map((i) => i.stack);
  const duplicate = stacks.find((s, i) => stacks.indexOf(s) !== i);
  if (duplicate) throw new Error(`testStacks: stack ${duplicate} is given twice`);
  if (inputs.length === 0) return new Map();

  const tests = join(root, "tests");
  rmSync(tests, { recursive: true, force: true });
  mkdirSync(join(tests, "mocks"), { recursive: true });
  writeFileSync(join(tests, "mocks", "aws.tfmock.hcl"), renderMockFile());
  // `terraform init` refuses a directory without configuration; the root's only declares the
  // providers the stacks require, so init installs them (from the mirror) with the runs' modules.
  writeFileSync(join(root, "main.tf.json"), JSON.stringify({ terraform: { required_providers: requiredProvidersOf(inputs) } }, null, 2));

  const stackOfFile = new Map<string, string>();
  for (const input of inputs) {
    const source = moduleSource(root, input.dir);
    const files: TestFile[] =
      input.testsDirs.length === 0
        ? [{ name: "apply.tftest.hcl", text: applyOnlyTest(input.dir) }]
        : mergeApplyRuns(
            input.testsDirs.flatMap((dir) =>
              readdirSync(dir)
                .filter((f) => f.endsWith(".tftest.hcl"))
                .sort()
                .map((f) => ({ name: `${basename(dir)}-${f}`, text: readFileSync(join(dir, f), "utf8") })),
            ),
          );
    for (const file of files) {
      const name = `${input.stack}--${file.name}`;
      writeFileSync(join(tests, name), withModuleSource(file.text, source, `${input.stack}: ${file.name}`));
      stackOfFile.set(`tests/${name}`, input.stack);
    }
  }

  const init = runTerraform(root, ["init", "-input=false"]);
  if (init.status !== 0) throw new Error(`terraform init failed in ${root} (exit ${init.status}):\n${init.stderr}\n${init.stdout}`);
  const out = runTerraform(root, ["test", "-json"]);
  const stackOfPath = (path: string) => inputs.find((i) => resolve(root, path).startsWith(`${resolve(i.dir)}/`))?.stack;
  return attribute(out, stackOfFile, stackOfPath, stacks);
}

/** A `terraform test -json` message (the fields read here). */
interface TestMessage {
  readonly type: string;
  readonly "@message"?: string;
  readonly "@testfile"?: string;
  readonly "@testrun"?: string;
  readonly test_run?: { readonly progress: string; readonly status?: string };
  readonly test_file?: { readonly progress: string; readonly status?: string };
  readonly test_summary?: unknown;
  readonly diagnostic?: {
    readonly severity: string;
    readonly summary: string;
    readonly detail?: string;
    readonly range?: { readonly filename: string; readonly start: { readonly line: number } };
  };
}

/**
 * Per stack: its runs passed and failed (errored runs fail, as in terraform's own summary),
 * its teardown's refusals by prevent_destroy, and its messages. An error that no stack owns
 * (a configuration terraform cannot load) fails every stack.
 */
function attribute(
  out: TerraformResult,
  stackOfFile: ReadonlyMap<string, string>,
  stackOfPath: (path: string) => string | undefined,
  stacks: readonly string[],
): Map<string, StackTestResult> {
  const byStack = new Map(stacks.map((s) => [s, { passed: 0, failed: 0, errors: [] as string[], protectedFromDestroy: new Set<string>(), lines: [] as string[] }]));
  const unowned: string[] = [];
  const unownedErrors: string[] = [];
  let summarized = false;
  for (const line of out.stdout.split("\n")) {
    if (line.trim() === "") continue;
    let msg: TestMessage;
    try {
      msg = JSON.parse(line) as TestMessage;
    } catch {
      unowned.push(line);
      continue;
    }
    if (msg.type === "test_summary") summarized = true;
    const file = msg["@testfile"];
    // A message of a test file, or a diagnostic about a stack's own configuration (a warning of
    // its override file, say), belongs to that stack.
    const range = msg.diagnostic?.range?.filename;
    const stack = file !== undefined ? stackOfFile.get(file) : range !== undefined ? stackOfPath(range) : undefined;
    const entry = stack === undefined ? undefined : byStack.get(stack);
    const text = render(msg);
    if (text === undefined) continue;
    if (!entry) {
      if (msg.type === "test_summary" || msg.type === "test_abstract" || msg.type === "version") continue;
      unowned.push(text);
      if (msg.diagnostic?.severity === "error") unownedErrors.push(msg.diagnostic.summary);
      continue;
    }
    // Terraform repeats a configuration's warnings for every run; once is enough.
    if (msg.diagnostic?.severity !== "warning" || !entry.lines.includes(text)) entry.lines.push(text);
    if (msg.type === "test_run" && msg.test_run?.progress === "complete") {
      if (msg.test_run.status === "pass") entry.passed++;
      else if (msg.test_run.status === "fail" || msg.test_run.status === "error") entry.failed++;
    }
    if (msg.diagnostic?.severity === "error") {
      if (msg.diagnostic.summary === PREVENT_DESTROY_REFUSAL) {
        const refused = /Resource (\S+) has\s+lifecycle\.prevent_destroy/.exec(msg.diagnostic.detail ?? "");
        if (refused) entry.protectedFromDestroy.add(refused[1].replace(/\[.*\]$/, ""));
      } else {
        entry.errors.push(msg.diagnostic.summary);
      }
    }
  }
  const shared = [...unowned, out.stderr.trim()].filter((t) => t !== "").join("\n");
  const results = new Map<string, StackTestResult>();
  for (const [stack, entry] of byStack) {
    // After the runs, the teardown of what they applied may be refused by prevent_destroy:
    // that is the protection working. Any other error (a failed teardown, a crash) is a
    // failure even when every run passed.
    const unexpected = entry.errors.length + unownedErrors.length > 0 && out.status !== 0;
    const failed = !summarized ? -1 : entry.failed === 0 && unexpected ? 1 : entry.failed;
    results.set(stack, {
      passed: entry.passed,
      failed,
      protectedFromDestroy: [...entry.protectedFromDestroy].sort(),
      output: [...entry.lines, ...(shared ? [shared] : [])].join("\n"),
    });
  }
  return results;
}

/** A message as one readable block; undefined for progress heartbeats. */
function render(msg: TestMessage): string | undefined {
  const where = msg["@testfile"] ? `${msg["@testfile"]}${msg["@testrun"] ? ` run "${msg["@testrun"]}"` : ""}` : "";
  if (msg.diagnostic) {
    const d = msg.diagnostic;
    const at = d.range ? `\n  on ${d.range.filename} line ${d.range.start.line}` : "";
    return `${d.severity === "error" ? "Error" : "Warning"}: ${d.summary}${where ? ` (${where})` : ""}${at}${d.detail ? `\n  ${d.detail}` : ""}`;
  }
  if (msg.type === "test_run" && msg.test_run?.progress !== "complete") return undefined;
  if (msg.type === "test_file" && msg.test_file?.progress !== "complete") return undefined;
  return msg["@message"];
}

/**
 * A test file whose every `run` block applies the configuration at `source`. A run that
 * already names a module is refused: it would test some other configuration than the stack.
 * The files are `terraform fmt`-formatted: a block opens with `run "<name>" {` and closes with
 * `}` at the start of a line.
 */
export function withModuleSource(text: string, source: string, what: string): string {
  const lines = text.split("\n");
  const result: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    result.push(lines[i]);
    if (!RUN_HEAD.test(lines[i])) continue;
    const end = topLevelBlockEnd(lines, i);
    if (end < 0) throw new Error(`${what}: the block ${lines[i].trim()} has no closing "}" at the start of a line`);
    if (lines.slice(i + 1, end).some((l) => /^\s*module\s*\{/.test(l))) {
      throw new Error(`${what}: the block ${lines[i].trim()} already has a module block; the combined mock-apply rung sets each run's module to the stack under test`);
    }
    result.push("  module {", `    source = ${JSON.stringify(source)}`, "  }");
  }
  return result.join("\n");
}

/** A module source (they must start with ./ or ../) for `dir`, from `root`. */
function moduleSource(root: string, dir: string): string {
  const path = relative(root, dir);
  return path.startsWith("../") ? path : `./${path}`;
}

/** The union of the stacks' `required_providers`. */
function requiredProvidersOf(inputs: readonly StackTestInput[]): Record<string, unknown> {
  const providers: Record<string, unknown> = {};
  for (const input of inputs) {
    const json = stackJson(input.dir) as { terraform?: { required_providers?: Record<string, unknown> } };
    Object.assign(providers, json.terraform?.required_providers ?? {});
  }
  return providers;
}

function stackJson(dir: string): unknown {
  const file = join(dir, "cdk.tf.json");
  if (!existsSync(file)) throw new Error(`testStacks: ${dir} holds no cdk.tf.json`);
  return JSON.parse(readFileSync(file, "utf8"));
}

/**
 * A test file with one apply run and no asserts, for a stack no asserts cover: the mock
 * apply itself (every resource created, every reference resolved, the teardown refused only
 * by prevent_destroy) is what it proves. Each aws provider configuration is mocked.
 */
function applyOnlyTest(dir: string): string {
  const json = stackJson(dir) as { provider?: { aws?: { alias?: string }[] } };
  const aliases = (json.provider?.aws ?? []).map((p) => p.alias);
  const mocks = (aliases.length > 0 ? aliases : [undefined]).map((alias) => `mock_provider "aws" {\n${alias ? `  alias  = "${alias}"\n` : ""}  source = "./tests/mocks"\n}\n`);
  return `# Generated: no asserts cover this stack; the run proves its mock apply.\n${mocks.join("\n")}\nrun "apply" {\n  command = apply\n}\n`;
}
