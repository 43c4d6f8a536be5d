import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { basename, join, relative, resolve } from "path";
import { renderMockFile } from "./fake-values";
import { withAwsProviderServer } from "./provider-server";
import { AWS_PROVIDER, requiredProviders, runTerraform, TerraformResult } from "./terraform";
import { mergeApplyRuns, parseApplyFile, RUN_HEAD, TestFile, topLevelBlockEnd } from "./tftest-merge";

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
 * What it saves is one process start and one `init` per stack. Within the process, terraform
 * 1.11 would still start the aws provider for each operation of each run (about 6 per run,
 * ~0.5 CPU-s each); it attaches to one server of it instead (./provider-server.ts: the mock
 * providers only ask the real one for its schema and validation). What remains is terraform's
 * own work per run and per file, not per stack. So a stack's files are
 * first merged into as few runs as they allow (./tftest-merge.ts), and the stacks of a
 * {@link StackGroup} (a system in one environment, those whose test files hold only mock
 * providers, overrides and asserts: {@link appliesInGroup}) apply together in one run holding
 * their overrides and asserts, each assert tagged with its stack (`[<stack>] ` before its error message), so a false one
 * fails only its stack; a teardown refusal goes to the stack that holds the resource.
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

/** Stacks applied together, as one merged configuration (./stack-group.ts). */
export interface StackGroup {
  /** e.g. `muejam-dev` */
  readonly name: string;
  /** A directory holding the merged configuration (`cdk.tf.json`) and its offline override. */
  readonly dir: string;
  readonly stacks: readonly string[];
  /** The stack each resource address of the merged configuration comes from. */
  readonly ownerOf: ReadonlyMap<string, string>;
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

/**
 * Runs every stack's .tftest.hcl files in one `terraform test` in `root` (a directory this
 * function owns); the stacks of each of `groups` apply together.
 */
export function testStacks(root: string, inputs: readonly StackTestInput[], groups: readonly StackGroup[] = []): Map<string, StackTestResult> {
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

  const ownersOfFile = new Map<string, readonly string[]>();
  const groupOfFile = new Map<string, StackGroup>();
  const write = (name: string, text: string, dir: string, owners: readonly string[]) => {
    writeFileSync(join(tests, name), withModuleSource(text, moduleSource(root, dir), name));
    ownersOfFile.set(`tests/${name}`, owners);
  };
  const groupOf = new Map(groups.flatMap((g) => g.stacks.map((stack) => [stack, g] as const)));
  const groupParts = new Map(groups.map((g) => [g, { overrides: [] as string[], asserts: [] as string[] }]));
  for (const input of inputs) {
    const group = groupOf.get(input.stack);
    if (group) {
      const parts = groupPartsOf(input.testsDirs);
      if (!parts) throw new Error(`testStacks: ${input.stack} is in group ${group.name}, but some of its test files need more than the mock providers, overrides and asserts`);
      // In a group, the stack's asserts join the group's run, tagged with the stack.
      groupParts.get(group)!.overrides.push(...parts.overrides);
      groupParts.get(group)!.asserts.push(...parts.asserts.map((a) => a.replace(/^(\s*error_message\s*=\s*")/m, `$1[${input.stack}] `)));
      continue;
    }
    const raw = testFilesOf(input.testsDirs);
    const files = raw.length === 0 ? [{ name: "apply.tftest.hcl", text: applyOnlyTest(input.dir) }] : mergeApplyRuns(raw);
    for (const file of files) write(`${input.stack}--${file.name}`, file.text, input.dir, [input.stack]);
  }
  for (const group of groups) {
    const name = `${group.name}--group.tftest.hcl`;
    write(name, groupTest(group, groupParts.get(group)!), group.dir, group.stacks);
    groupOfFile.set(`tests/${name}`, group);
  }

  // The aws provider is only asked for its schema and validation here (mock providers): one
  // server of it serves every run (./provider-server.ts).
  const out = withAwsProviderServer(awsVersionOf(inputs), (env) => {
    const init = runTerraform(root, ["init", "-input=false"], env);
    if (init.status !== 0) throw new Error(`terraform init failed in ${root} (exit ${init.status}):\n${init.stderr}\n${init.stdout}`);
    return runTerraform(root, ["test", "-json"], env);
  });
  const ownersOfPath = (path: string) => {
    const within = (dir: string) => resolve(root, path).startsWith(`${resolve(dir)}/`);
    return inputs.find((i) => within(i.dir))?.stack ?? groups.find((g) => within(g.dir))?.stacks;
  };
  return attribute(out, ownersOfFile, groupOfFile, ownersOfPath, stacks);
}

/** The tag a stack's assert carries in its group's run: `[<stack>] ` before its error message. */
const TAG = /^\[([^\]\s]+)\] /;

/** Whether a stack whose test files are in `testsDirs` can apply in a group ({@link groupPartsOf}). */
export function appliesInGroup(testsDirs: readonly string[]): boolean {
  return groupPartsOf(testsDirs) !== undefined;
}

/**
 * What a stack's test files bring to its group's run, or undefined when one of them needs
 * more: their `override_resource`/`override_data` blocks (file-wide, they apply to the merged
 * configuration where the stack's addresses are unchanged) and their asserts. Beside the plain
 * mock providers (the group mocks every aws configuration itself), a file may hold only those
 * blocks and runs of asserts. A `command = plan` run's asserts join the apply run: they read
 * values known at plan, which the mock apply leaves as planned.
 */
export function groupPartsOf(testsDirs: readonly string[]): { overrides: string[]; asserts: string[] } | undefined {
  const plainMock = /^mock_provider "aws" \{\n(\s*alias\s*=\s*"[A-Za-z0-9_]+"\n)?\s*source\s*=\s*"\.\/tests\/mocks"\n\}$/;
  const parts = { overrides: [] as string[], asserts: [] as string[] };
  for (const file of testFilesOf(testsDirs)) {
    const parsed = parseApplyFile(file.text, ["apply", "plan"]);
    if (!parsed || !parsed.blocks.every((block) => plainMock.test(block) || OVERRIDE_HEAD.test(block))) return undefined;
    parts.overrides.push(...parsed.blocks.filter((block) => OVERRIDE_HEAD.test(block)));
    parts.asserts.push(...parsed.asserts);
  }
  return parts;
}

const OVERRIDE_HEAD = /^override_(resource|data) \{\n/;

/** The `.tftest.hcl` files of `testsDirs`, each named after its directory. */
function testFilesOf(testsDirs: readonly string[]): TestFile[] {
  return testsDirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith(".tftest.hcl"))
      .sort()
      .map((f) => ({ name: `${basename(dir)}-${f}`, text: readFileSync(join(dir, f), "utf8") })),
  );
}

/** The group's test file: every aws provider configuration mocked, the stacks' overrides, one apply run with their asserts. */
function groupTest(group: StackGroup, parts: { overrides: readonly string[]; asserts: readonly string[] }): string {
  const overrides = [...new Set(parts.overrides)].map((o) => `${o}\n`);
  return [`# Generated: ${group.stacks.join(", ")} applied together, with their asserts.`, mockProviders(group.dir), ...overrides, 'run "asserts" {', "  command = apply", "", parts.asserts.join("\n\n"), "}", ""].join("\n");
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
  ownersOfFile: ReadonlyMap<string, readonly string[]>,
  groupOfFile: ReadonlyMap<string, StackGroup>,
  ownersOfPath: (path: string) => string | readonly string[] | undefined,
  stacks: readonly string[],
): Map<string, StackTestResult> {
  const attribution = new Attribution(ownersOfFile, groupOfFile, ownersOfPath, stacks);
  for (const line of out.stdout.split("\n")) attribution.read(line);
  return attribution.results(out);
}

/** What one stack's messages add up to, while they are read. */
interface StackEntry {
  passed: number;
  failed: number;
  readonly errors: string[];
  readonly protectedFromDestroy: Set<string>;
  readonly lines: string[];
}

/** `terraform test -json`'s messages, read one by one and given to the stacks they belong to. */
class Attribution {
  private readonly byStack: Map<string, StackEntry>;
  private readonly unowned: string[] = [];
  private readonly unownedErrors: string[] = [];
  /** A group's runs: their status, and the stacks their errors name (undefined: an error naming none). */
  private readonly groupRuns = new Map<string, { owners: readonly string[]; status?: string; failing: Set<string | undefined> }>();
  private summarized = false;

  constructor(
    private readonly ownersOfFile: ReadonlyMap<string, readonly string[]>,
    private readonly groupOfFile: ReadonlyMap<string, StackGroup>,
    private readonly ownersOfPath: (path: string) => string | readonly string[] | undefined,
    stacks: readonly string[],
  ) {
    this.byStack = new Map(stacks.map((s) => [s, { passed: 0, failed: 0, errors: [], protectedFromDestroy: new Set<string>(), lines: [] }]));
  }

  public read(line: string): void {
    if (line.trim() === "") return;
    let msg: TestMessage;
    try {
      msg = JSON.parse(line) as TestMessage;
    } catch {
      this.unowned.push(line);
      return;
    }
    if (msg.type === "test_summary") this.summarized = true;
    const text = render(msg);
    if (text === undefined) return;
    const fileOwners = this.fileOwnersOf(msg);
    if (fileOwners && fileOwners.length > 0) this.readOwned(msg, text, fileOwners);
    else if (msg.type !== "test_summary" && msg.type !== "test_abstract" && msg.type !== "version") {
      this.unowned.push(text);
      if (msg.diagnostic?.severity === "error") this.unownedErrors.push(msg.diagnostic.summary);
    }
  }

  /**
   * The stacks of the message's test file, or of the stack whose configuration a diagnostic
   * points at (a warning of its override file, say).
   */
  private fileOwnersOf(msg: TestMessage): readonly string[] | undefined {
    const file = msg["@testfile"];
    const range = msg.diagnostic?.range?.filename;
    return file !== undefined ? this.ownersOfFile.get(file) : range !== undefined ? [this.ownersOfPath(range) ?? []].flat() : undefined;
  }

  private readOwned(msg: TestMessage, text: string, fileOwners: readonly string[]): void {
    const file = msg["@testfile"];
    const group = file !== undefined ? this.groupOfFile.get(file) : undefined;
    const refused = msg.diagnostic?.summary === PREVENT_DESTROY_REFUSAL ? /Resource (\S+) has\s+lifecycle\.prevent_destroy/.exec(msg.diagnostic.detail ?? "")?.[1].replace(/\[.*\]$/, "") : undefined;
    // In a group's file, an assert's failure names its stack by its tag, a refusal by its address.
    const named = group ? (TAG.exec(msg.diagnostic?.detail ?? "")?.[1] ?? (refused ? group.ownerOf.get(refused) : undefined)) : undefined;
    const owners = (named !== undefined && fileOwners.includes(named) ? [named] : fileOwners).map((s) => this.byStack.get(s)!);
    for (const entry of owners) {
      // Terraform repeats a configuration's warnings for every run; once is enough.
      if (msg.diagnostic?.severity !== "warning" || !entry.lines.includes(text)) entry.lines.push(text);
      if (msg.diagnostic?.severity === "error") {
        if (refused) entry.protectedFromDestroy.add(refused);
        else entry.errors.push(msg.diagnostic.summary);
      }
    }
    const runKey = file !== undefined && msg["@testrun"] !== undefined ? `${file}\0${msg["@testrun"]}` : undefined;
    if (group && runKey) {
      const run = this.groupRuns.get(runKey) ?? { owners: fileOwners, failing: new Set<string | undefined>() };
      this.groupRuns.set(runKey, run);
      if (msg.type === "test_run" && msg.test_run?.progress === "complete") run.status = msg.test_run.status;
      if (msg.diagnostic?.severity === "error" && !refused) run.failing.add(named);
    } else if (msg.type === "test_run" && msg.test_run?.progress === "complete") {
      for (const entry of owners) {
        if (msg.test_run.status === "pass") entry.passed++;
        else if (msg.test_run.status === "fail" || msg.test_run.status === "error") entry.failed++;
      }
    }
  }

  /** A group's run passes for a stack unless an error names it, or names no stack. */
  private countGroupRuns(): void {
    for (const run of this.groupRuns.values()) {
      if (run.status === undefined) continue;
      const failed = run.status !== "pass";
      for (const stack of run.owners) {
        const entry = this.byStack.get(stack)!;
        if (failed && (run.failing.has(stack) || run.failing.has(undefined) || run.failing.size === 0)) entry.failed++;
        else entry.passed++;
      }
    }
    this.groupRuns.clear();
  }

  public results(out: TerraformResult): Map<string, StackTestResult> {
    this.countGroupRuns();
    const shared = [...this.unowned, out.stderr.trim()].filter((t) => t !== "").join("\n");
    const results = new Map<string, StackTestResult>();
    for (const [stack, entry] of this.byStack) {
      // After the runs, the teardown of what they applied may be refused by prevent_destroy:
      // that is the protection working. Any other error (a failed teardown, a crash) is a
      // failure even when every run passed.
      const unexpected = entry.errors.length + this.unownedErrors.length > 0 && out.status !== 0;
      const failed = !this.summarized ? -1 : entry.failed === 0 && unexpected ? 1 : entry.failed;
      results.set(stack, {
        passed: entry.passed,
        failed,
        protectedFromDestroy: [...entry.protectedFromDestroy].sort(),
        output: [...entry.lines, ...(shared ? [shared] : [])].join("\n"),
      });
    }
    return results;
  }
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

/** The aws provider version every stack pins, or undefined when they pin none or differ. */
function awsVersionOf(inputs: readonly StackTestInput[]): string | undefined {
  const versions = new Set(inputs.map((input) => requiredProviders(stackJson(input.dir) as Parameters<typeof requiredProviders>[0]).find((p) => p.address === AWS_PROVIDER)?.version));
  return versions.size === 1 ? [...versions][0] : undefined;
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
  return `# Generated: no asserts cover this stack; the run proves its mock apply.\n${mockProviders(dir)}\nrun "apply" {\n  command = apply\n}\n`;
}

/** A `mock_provider` block for each aws provider configuration of the configuration in `dir`. */
function mockProviders(dir: string): string {
  const json = stackJson(dir) as { provider?: { aws?: { alias?: string }[] } };
  const aliases = (json.provider?.aws ?? []).map((p) => p.alias);
  return (aliases.length > 0 ? aliases : [undefined]).map((alias) => `mock_provider "aws" {\n${alias ? `  alias  = "${alias}"\n` : ""}  source = "./tests/mocks"\n}\n`).join("\n");
}
