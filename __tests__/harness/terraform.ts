import { spawnSync } from "child_process";
import { createHash } from "crypto";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { fakeValue } from "./fake-values";

/**
 * Runs the real `terraform` binary against synthesized stacks, offline: providers come
 * from a filesystem mirror (default `/opt/tf-plugins`, or `TF_PLUGIN_MIRROR`), through a
 * CLI config that is written at test time and handed only to terraform's child processes.
 * Every run works in a temporary copy of the stack, so nothing the harness writes (the
 * override file, plans, state) ever lands in `cdktf.out`.
 */

export const MIRROR = process.env.TF_PLUGIN_MIRROR ?? "/opt/tf-plugins";
export const AWS_PROVIDER = "registry.terraform.io/hashicorp/aws";

/**
 * Providers known to be missing from the offline mirror, with where the limitation is
 * documented. A stack that requires one of them is synthesized and unit-tested, and its
 * terraform rungs are skipped with a message naming the provider, also under CI. A
 * stack that requires any other provider the mirror lacks fails.
 */
export const UNMIRRORED_PROVIDERS: Readonly<Record<string, string>> = {
  "registry.terraform.io/hashicorp/kubernetes": "docs/eks.md (Limits)",
};

/** A provider a stack requires, by full address, and the version it pins. */
export interface RequiredProvider {
  readonly address: string;
  readonly version?: string;
}

/** The providers a synthesized stack requires (`terraform.required_providers`), with full addresses. */
export function requiredProviders(stackJson: { terraform?: { required_providers?: Record<string, { source?: string; version?: string }> } }): RequiredProvider[] {
  return Object.entries(stackJson.terraform?.required_providers ?? {}).map(([name, spec]) => {
    const source = spec.source ?? name;
    const parts = source.split("/");
    const address = parts.length === 1 ? `registry.terraform.io/hashicorp/${source}` : parts.length === 2 ? `registry.terraform.io/${source}` : source;
    return { address: address.toLowerCase(), version: spec.version };
  });
}

/** Whether `version` pins one exact version (`5.100.0`), not a constraint. */
export function isExactVersion(version: string): boolean {
  return /^\d+\.\d+\.\d+$/.test(version);
}

/** Whether the mirror holds `provider` (the pinned version when it is exact, else any version). */
export function isMirrored(provider: RequiredProvider): boolean {
  const dir = join(MIRROR, provider.address);
  if (!existsSync(dir)) return false;
  if (provider.version && isExactVersion(provider.version)) return existsSync(join(dir, provider.version));
  return readdirSync(dir).length > 0;
}

/** The full addresses of every provider in the mirror (`<host>/<namespace>/<type>`). */
export function mirroredProviderAddresses(): string[] {
  const addresses: string[] = [];
  const list = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);
  for (const host of list(MIRROR)) {
    for (const namespace of list(join(MIRROR, host))) {
      for (const type of list(join(MIRROR, host, namespace))) addresses.push(`${host}/${namespace}/${type}`);
    }
  }
  return addresses.includes(AWS_PROVIDER) ? addresses : [AWS_PROVIDER, ...addresses];
}
const REPO_ROOT = join(__dirname, "..", "..");
/** Where the `.tftest.hcl` files and shared mocks live. */
export const TFTEST_DIR = join(REPO_ROOT, "tests", "terraform");

let cliConfigFile: string | undefined;

/** The environment for terraform child processes: our CLI config, no prompts, no phoning home. */
export function terraformEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  if (!cliConfigFile) {
    const dir = mkdtempSync(join(tmpdir(), "tf-cli-"));
    cliConfigFile = join(dir, "terraformrc");
    const mirrored = JSON.stringify(mirroredProviderAddresses()).replace(/,/g, ", ");
    writeFileSync(
      cliConfigFile,
      [
        "provider_installation {",
        "  filesystem_mirror {",
        `    path    = ${JSON.stringify(MIRROR)}`,
        `    include = ${mirrored}`,
        "  }",
        "  direct {",
        `    exclude = ${mirrored}`,
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  }
  return {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    TF_PLUGIN_CACHE_DIR: "",
    ...extra,
  };
}

/**
 * Why the terraform rungs cannot run here, or undefined when they can. The jest run asks once,
 * before its workers start (./global-setup.ts), and passes the answer in the environment; every
 * test file loads this module afresh, and would otherwise ask again.
 */
export function terraformUnavailable(): string | undefined {
  const known = process.env[TERRAFORM_UNAVAILABLE];
  if (known === undefined) return whyTerraformUnavailable();
  return known === "" ? undefined : known;
}

/** The environment variable holding {@link whyTerraformUnavailable}'s answer for the run ("" when terraform can run). */
export const TERRAFORM_UNAVAILABLE = "SCALED_AWS_TERRAFORM_UNAVAILABLE";

export function whyTerraformUnavailable(): string | undefined {
  const version = spawnSync("terraform", ["version"], { encoding: "utf8", env: terraformEnv() });
  if (version.error || version.status !== 0) return "the terraform binary is not on PATH";
  if (!existsSync(join(MIRROR, AWS_PROVIDER))) return `the provider mirror ${MIRROR} holds no ${AWS_PROVIDER}`;
  return undefined;
}

/**
 * Whether to run the terraform rungs. Where terraform or the mirror is missing they are
 * skipped with a visible SKIP line, except under CI (`CI` set), where that is a failure.
 */
export function shouldRunTerraform(rung: string): boolean {
  const reason = terraformUnavailable();
  if (!reason) return true;
  if (process.env.CI) throw new Error(`${rung} cannot run: ${reason} (CI is set, so this fails instead of skipping)`);
  // eslint-disable-next-line no-console
  console.warn(`SKIP ${rung}: ${reason}`);
  return false;
}

/**
 * Runs `terraform <args> -no-color` in `cwd` with the harness's environment. The timeout is
 * generous: one command may cover every stack of a run (StackSet), minutes on loaded cores.
 */
export function runTerraform(cwd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}, input?: string): TerraformResult {
  const result = spawnSync("terraform", [...args, "-no-color"], {
    cwd,
    input,
    env: terraformEnv(extraEnv),
    encoding: "utf8",
    timeout: 1_800_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** What `terraform validate` found: whether the configuration is valid, and its diagnostics as text. */
export interface Validation {
  readonly valid: boolean;
  readonly diagnostics: string[];
}

/** A diagnostic of terraform's `-json` output (the fields the harness reads). */
export interface Diagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail?: string;
  readonly range?: { readonly filename: string };
}

/** A diagnostic as one line: `<severity>: <summary> (<detail>)`. */
export function diagnosticText(d: Diagnostic): string {
  return `${d.severity}: ${d.summary}${d.detail ? ` (${d.detail})` : ""}`;
}

export interface TerraformResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * What `terraform plan -json` would do, from its messages: by module address (`""` for the
 * root, `module.<name>` for a child), the resources it creates, counted by type, and any other
 * change.
 */
export function planSummariesOf(stdout: string): Map<string, PlanSummary> {
  const summaries = new Map<string, { creates: Record<string, number>; addresses: string[]; otherActions: string[] }>();
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const msg = JSON.parse(line) as { type: string; change?: { action: string; resource: { addr: string; module: string; resource_type: string } } };
    if (msg.type !== "planned_change" || !msg.change) continue;
    const { action, resource } = msg.change;
    const summary = summaries.get(resource.module) ?? { creates: {}, addresses: [], otherActions: [] };
    summaries.set(resource.module, summary);
    const address = resource.module ? resource.addr.slice(resource.module.length + 1) : resource.addr;
    if (action === "create") {
      summary.creates[resource.resource_type] = (summary.creates[resource.resource_type] ?? 0) + 1;
      summary.addresses.push(address);
    } else {
      summary.otherActions.push(`${action} ${address}`);
    }
  }
  for (const summary of summaries.values()) summary.addresses.sort();
  return summaries;
}

/** The same, for a root module's plan. */
export function planSummaryOf(stdout: string): PlanSummary {
  return planSummariesOf(stdout).get("") ?? { creates: {}, addresses: [], otherActions: [] };
}

/** The counts of resources `terraform plan` would create, by type, and their addresses. */
export interface PlanSummary {
  readonly creates: Readonly<Record<string, number>>;
  readonly addresses: readonly string[];
  /** Changes other than create (there should be none against empty state). */
  readonly otherActions: readonly string[];
}

/** The provider settings that let the aws provider plan with no account and no network. */
export const OFFLINE_AWS_PROVIDER = {
  // The provider cannot learn the account offline (skip_requesting_account_id), so it cannot
  // check `allowed_account_ids` (set from accountId): the override unsets it, like the credentials.
  allowed_account_ids: null,
  access_key: "AKIAOFFLINEHARNESS00",
  secret_key: "offline-harness-not-a-secret",
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
};

/**
 * A stack's provider blocks as the offline override makes them: each aws block with
 * {@link OFFLINE_AWS_PROVIDER}'s arguments in place of its own (a null one unset).
 */
export function offlineProviderBlocks(stackJson: { provider?: Record<string, Record<string, unknown>[]> }): Record<string, Record<string, unknown>[]> {
  return Object.fromEntries(
    Object.entries(stackJson.provider ?? {}).map(([name, blocks]) => [
      name,
      name !== "aws" ? blocks : blocks.map((block) => Object.fromEntries(Object.entries({ ...block, ...OFFLINE_AWS_PROVIDER }).filter(([, value]) => value !== null))),
    ]),
  );
}

/** A temporary copy of one synthesized stack, where terraform commands run. */
export class TerraformWorkdir {
  public readonly dir: string;

  /**
   * @param outdir the synth output (`cdktf.out`) holding the stack and the stacks it reads
   * @param stackName the stack to copy
   */
  constructor(
    private readonly outdir: string,
    public readonly stackName: string,
    source?: {
      /** A hand-written configuration directory (with its modules) to copy instead of a synthesized stack. */
      readonly directory?: string;
      /** A configuration to write as `cdk.tf.json` instead of a synthesized stack (a combined root, merged stacks). */
      readonly configuration?: unknown;
      /** Where to make the copy (a stack inside a combined root), instead of a new temporary directory. */
      readonly at?: string;
    },
  ) {
    this.dir = source?.at ?? mkdtempSync(join(tmpdir(), `tf-${stackName}-`));
    mkdirSync(this.dir, { recursive: true });
    const directory = source?.directory;
    if (directory) cpSync(directory, this.dir, { recursive: true, filter: (f) => !/(\/\.terraform|\.tfstate|tfplan)/.test(f.slice(directory.length)) });
    else if (source?.configuration !== undefined) writeFileSync(join(this.dir, "cdk.tf.json"), JSON.stringify(source.configuration, null, 2));
    else copyFileSync(join(outdir, "stacks", stackName, "cdk.tf.json"), join(this.dir, "cdk.tf.json"));
  }

  public run(args: string[], extraEnv: NodeJS.ProcessEnv = {}, input?: string): TerraformResult {
    return runTerraform(this.dir, args, extraEnv, input);
  }

  /** Runs a command and fails with its output unless it exits 0. */
  public must(args: string[], extraEnv: NodeJS.ProcessEnv = {}): TerraformResult {
    const result = this.run(args, extraEnv);
    if (result.status !== 0) {
      throw new Error(`terraform ${args.join(" ")} failed in ${this.stackName} (exit ${result.status}):\n${result.stderr}\n${result.stdout}`);
    }
    return result;
  }

  /** Rung 2: `init -backend=false` and `validate` against the real provider schema. */
  public validate(): Validation {
    this.must(["init", "-backend=false", "-input=false"]);
    const out = this.run(["validate", "-json"]);
    const parsed = JSON.parse(out.stdout) as { valid: boolean; diagnostics: Diagnostic[] };
    return { valid: parsed.valid, diagnostics: parsed.diagnostics.map(diagnosticText) };
  }

  /**
   * Writes the harness's override file: fake credentials and the three skip flags for the
   * default aws provider and each aliased one (e.g. the edge stack's `us_east_1`), a local
   * backend in this temporary directory, and every `terraform_remote_state` pointed at a
   * stand-in state file holding the outputs this stack reads.
   */
  public writeOfflineOverride(options: { providers?: boolean } = {}): void {
    const remoteStates = this.standInRemoteStates();
    const providers = { aws: [OFFLINE_AWS_PROVIDER, ...this.awsProviderAliases().map((alias) => ({ alias, ...OFFLINE_AWS_PROVIDER }))] };
    const override = {
      terraform: { backend: { local: { path: "terraform.tfstate" } } },
      // Without `providers`, the stack's provider blocks are configured elsewhere (offlineProviderBlocks).
      ...(options.providers ?? true ? { provider: providers } : {}),
      ...(Object.keys(remoteStates).length > 0 ? { data: { terraform_remote_state: remoteStates } } : {}),
    };
    writeFileSync(join(this.dir, "zz_harness_override.tf.json"), JSON.stringify(override, null, 2));
  }

  /** The aliases of the stack's aliased aws provider blocks (override files merge provider blocks by alias). */
  private awsProviderAliases(): string[] {
    const json = JSON.parse(readFileSync(join(this.dir, "cdk.tf.json"), "utf8")) as { provider?: { aws?: { alias?: string }[] } };
    return (json.provider?.aws ?? []).map((p) => p.alias).filter((a): a is string => a !== undefined);
  }

  /**
   * For each remote state the stack reads, a local state file with well-formed values
   * for the outputs it uses. A cross-stack output's value is faked from the resource
   * attribute the producing stack exports (`${aws_vpc.network_vpc.id}` -> a VPC id).
   */
  private standInRemoteStates(): Record<string, unknown> {
    const text = readFileSync(join(this.dir, "cdk.tf.json"), "utf8");
    const json = JSON.parse(text) as { data?: { terraform_remote_state?: Record<string, { "//"?: { reads?: Record<string, string> } }> } };
    const result: Record<string, unknown> = {};
    for (const [name, block] of Object.entries(json.data?.terraform_remote_state ?? {})) {
      const used = new Set<string>();
      const pattern = new RegExp(`data\\.terraform_remote_state\\.${escapeRegExp(name)}\\.outputs\\.([A-Za-z0-9_-]+)`, "g");
      for (const match of text.matchAll(pattern)) used.add(match[1]);
      // A ForeignState (src/constructs/remote-state) records the kind of each output it reads.
      const kinds = block["//"]?.reads ?? {};
      const outputs: Record<string, { value: unknown; type: unknown }> = {};
      for (const output of used) {
        outputs[output] = kinds[output] ? standInOfKind(output, kinds[output]) : this.standInOutput(name, output);
      }
      const path = join(this.dir, `remote-state-${name}.tfstate`);
      writeFileSync(path, JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 1, lineage: "harness", outputs, resources: [] }));
      result[name] = { backend: "local", config: { path } };
    }
    return result;
  }

  private standInOutput(remoteState: string, output: string): { value: unknown; type: unknown } {
    const value = this.standInValue(remoteState, output);
    return { value, type: Array.isArray(value) ? ["list", "string"] : "string" };
  }

  private standInValue(remoteState: string, output: string): unknown {
    const producer = remoteState.startsWith("cross-stack-reference-input-") ? remoteState.slice("cross-stack-reference-input-".length) : undefined;
    if (producer) {
      const producerJson = JSON.parse(readFileSync(join(this.outdir, "stacks", producer, "cdk.tf.json"), "utf8")) as {
        output?: Record<string, { value: unknown }>;
      };
      const ref = /^\$\{(?:data\.)?([a-z0-9_]+)\.[^.]+\.([a-z0-9_]+)/.exec(String(producerJson.output?.[output]?.value ?? ""));
      if (ref) return distinctId(fakeValue(ref[1], ref[2]), output);
    }
    // A foreign state: lists are named in the plural (`private_subnet_ids`).
    return /_(ids|arns|names)$/.test(output) ? [1, 2, 3].map((i) => `${fakeValue("foreign", output.replace(/s$/, ""))}-${i}`) : fakeValue("foreign", output);
  }

  /**
   * Rung 3: `terraform plan` offline; returns what it would create. The plan is saved as
   * `tfplan` in the workdir, for the re-plan rung (scripts/replan) to build a state from.
   */
  public plan(): PlanSummary {
    this.writeOfflineOverride();
    this.must(["init", "-input=false", "-reconfigure"]);
    return planSummaryOf(this.must(["plan", "-input=false", "-lock=false", "-json", "-out=tfplan"]).stdout);
  }

  public dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The `.tftest.hcl` directories of a stack, most shared first:
 * - `tests/terraform/_layers/<layer>/`: asserts every stack of the layer shares;
 * - `tests/terraform/_layers/<layer>/<resource address>/` and `_layers/_any/<resource address>/`:
 *   asserts every stack holding that resource shares (a data stack without Redis runs none of Redis's);
 * - `tests/terraform/<system>-<layer>/`: asserts one system's stack shares in every environment;
 * - `tests/terraform/<stack>/`: the stack's own (what differs by environment).
 * Each is optional: a new system's stacks run the shared asserts that apply to them, and a
 * stack that none covers is still applied against the mock provider (see stack-tests.ts).
 */
export function tftestDirsOf(stackName: string, layer: string, system: string, addresses: readonly string[] = []): string[] {
  const hasTests = (dir: string) => existsSync(dir) && readdirSync(dir).some((f) => f.endsWith(".tftest.hcl"));
  const shared = join(TFTEST_DIR, "_layers", layer);
  // `_layers/<layer>/<resource address>/`: what every stack of the layer that holds that resource
  // shares; `_layers/_any/<resource address>/`: the same, whatever the layer (an ALB lives in
  // the compute or the services stack).
  const byResource = [shared, join(TFTEST_DIR, "_layers", "_any")].flatMap((dir) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((d) => addresses.includes(d))
          .sort()
          .map((d) => join(dir, d))
          .filter(hasTests)
      : [],
  );
  const own = [join(TFTEST_DIR, `${system}-${layer}`), join(TFTEST_DIR, stackName)].filter(hasTests);
  return [...(hasTests(shared) ? [shared] : []), ...byResource, ...own];
}

/** A stand-in output of a foreign state whose kind is known (string, number, bool, list, map). */
function standInOfKind(output: string, kind: string): { value: unknown; type: unknown } {
  switch (kind) {
    case "number":
      return { value: 1, type: "number" };
    case "bool":
      return { value: true, type: "bool" };
    case "list":
      return { value: [1, 2, 3].map((i) => `${fakeValue("foreign", output.replace(/s$/, ""))}-${i}`), type: ["list", "string"] };
    case "map":
      return { value: { key: fakeValue("foreign", output) }, type: ["map", "string"] };
    default:
      return { value: fakeValue("foreign", output), type: "string" };
  }
}

/**
 * Makes a stand-in resource id or ARN unique to the output it stands in for, so that asserts
 * (and re-plans) tell `subnet-...` of one AZ from another's: `subnet-0123456789abcdef0` ->
 * `subnet-<17 hex of the output's name>`, `...:targetgroup/mock/...` -> `...:targetgroup/mock-<8 hex>/...`.
 */
function distinctId(value: string, output: string): string {
  const hash = createHash("sha1").update(output).digest("hex");
  if (value.endsWith("-0123456789abcdef0")) return value.replace(/0123456789abcdef0$/, hash.slice(0, 17));
  // ARNs too (a blue and a green target group): a review must see one replaced by the other.
  if (value.startsWith("arn:") && value.includes("mock")) return value.replace("mock", `mock-${hash.slice(0, 8)}`);
  return value;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
