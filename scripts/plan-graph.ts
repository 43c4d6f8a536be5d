import { existsSync, readFileSync } from "fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "path";
import { stringify } from "yaml";

/**
 * The stacks of a synth as a dependency graph, for pull-request engines and CI matrices.
 *
 * Everything comes from what synth wrote: `cdktf.out/manifest.json` names each stack, the
 * stacks it reads through remote state (`dependencies`) and its folder (`workingDirectory`);
 * each stack's own `cdk.tf.json` gives its `required_version` and backend. One graph, two
 * renderings: `atlantis.yaml` (repo config version 3) and a list of waves for a CI matrix.
 */

/** The Terraform CLI version Atlantis runs: the one the test suite proves the stacks with. */
export const TERRAFORM_CLI_VERSION = "1.11.4";

/**
 * The app's own inputs, relative to the repository root: what can change a stack's synthesized
 * JSON. Used when synth runs in a pre-workflow hook, where cdktf.out is not in the pull request.
 */
export const APP_SOURCES = ["main.ts", "src/**", "cdktf.json", "package-lock.json", "provider-locks/**", "scripts/app.js"] as const;

/** A stack as the manifest and its synthesized configuration describe it. */
export interface PlanStack {
  /** The stack's name, also the Atlantis project name. */
  readonly name: string;
  /** Its synthesized folder, relative to the repository root, with `/` separators. */
  readonly dir: string;
  /** The file synth wrote in it (`cdk.tf.json`, or `cdk.tf` after `cdktf synth --hcl`). */
  readonly configFile: string;
  /** Whether synth copied a provider lock file into the folder. */
  readonly lockFile: boolean;
  /** The stacks it reads through remote state, sorted. */
  readonly dependsOn: readonly string[];
  /** Its depth in the dependency graph: 0 for a stack that reads no other, else 1 + its deepest dependency's. */
  readonly group: number;
  /** `terraform.required_version` of its configuration, when it is JSON. */
  readonly requiredVersion?: string;
  /** The backend type its configuration names (`s3`, `local`), when it is JSON. */
  readonly backend?: string;
}

/** A graph that cannot be planned in order: a dependency on a stack the manifest lacks, a cycle, a malformed manifest. */
export class PlanGraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanGraphError";
  }
}

/** What `cdktf.out/manifest.json` holds for a stack (cdktf 0.21), as far as the graph needs it. */
interface ManifestStack {
  readonly name: string;
  readonly workingDirectory: string;
  readonly synthesizedStackPath: string;
  readonly dependencies?: readonly string[];
}

/**
 * Reads the graph of a synth: `<outdir>/manifest.json` and each stack's configuration.
 * `repoRoot` is the folder Atlantis and CI run from; every stack's folder must lie inside it.
 */
export function readPlanGraph(outdir: string, repoRoot: string): PlanStack[] {
  const manifestPath = join(outdir, "manifest.json");
  if (!existsSync(manifestPath)) {
    throw new PlanGraphError(`${manifestPath} does not exist: run \`npm run synth\` first (the graph is read from what synth wrote).`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { stacks?: Record<string, ManifestStack> };
  const stacks = Object.values(manifest.stacks ?? {});
  if (stacks.length === 0) throw new PlanGraphError(`${manifestPath} names no stacks: synthesize at least one (INFRA_SYSTEMS, INFRA_ENVIRONMENTS).`);
  const depths = stackDepths(Object.fromEntries(stacks.map((s) => [s.name, s.dependencies ?? []])));
  return stacks
    .map((s): PlanStack => {
      const folder = resolve(outdir, s.workingDirectory);
      const dir = relative(resolve(repoRoot), folder).split(sep).join("/");
      if (dir === "" || dir.startsWith("..") || isAbsolute(dir)) {
        throw new PlanGraphError(
          `stack "${s.name}": its folder ${folder} is not inside the repository root ${resolve(repoRoot)}; ` +
            `synthesize into the repository (the default cdktf.out) or pass the root that holds it.`,
        );
      }
      const configPath = resolve(outdir, s.synthesizedStackPath);
      if (!existsSync(configPath)) throw new PlanGraphError(`stack "${s.name}": ${configPath} does not exist; run \`npm run synth\` again.`);
      const terraform = configPath.endsWith(".json") ? (JSON.parse(readFileSync(configPath, "utf8")) as { terraform?: TerraformBlock }).terraform : undefined;
      return {
        name: s.name,
        dir,
        configFile: basename(configPath),
        lockFile: existsSync(join(dirname(configPath), ".terraform.lock.hcl")),
        dependsOn: [...new Set(s.dependencies ?? [])].sort(),
        group: depths[s.name],
        requiredVersion: terraform?.required_version,
        backend: terraform?.backend ? Object.keys(terraform.backend)[0] : undefined,
      };
    })
    .sort((a, b) => compare(a.name, b.name));
}

type TerraformBlock = { required_version?: string; backend?: Record<string, unknown> };

/**
 * Each stack's depth in the graph `stack -> the stacks it reads`: 0 for a stack that reads
 * none, otherwise one more than its deepest dependency. Fails on a dependency the graph does
 * not hold and on a cycle, naming the stacks.
 */
export function stackDepths(dependencies: Readonly<Record<string, readonly string[]>>): Record<string, number> {
  const names = Object.keys(dependencies).sort(compare);
  for (const name of names) {
    for (const dep of dependencies[name]) {
      if (!(dep in dependencies)) {
        throw new PlanGraphError(
          `stack "${name}" depends on "${dep}", which the manifest does not hold (stacks: ${names.join(", ")}). ` +
            `Synthesize the stacks it reads in the same run (INFRA_SYSTEMS, INFRA_ENVIRONMENTS).`,
        );
      }
    }
  }
  const depth: Record<string, number> = {};
  const visiting: string[] = [];
  const visit = (name: string): number => {
    if (name in depth) return depth[name];
    const at = visiting.indexOf(name);
    if (at >= 0) {
      throw new PlanGraphError(
        `stack dependency cycle: ${[...visiting.slice(at), name].join(" -> ")}. ` +
          `No order plans or applies these stacks; break the cycle so that one of them no longer reads the other's outputs.`,
      );
    }
    visiting.push(name);
    const deps = [...dependencies[name]].sort(compare);
    depth[name] = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(visit));
    visiting.pop();
    return depth[name];
  };
  names.forEach(visit);
  return depth;
}

/** The stacks in waves: wave N holds every stack of group N, sorted; each wave only reads stacks of earlier waves. */
export function planWaves(graph: readonly PlanStack[]): { stack: string; dir: string }[][] {
  const waves: { stack: string; dir: string }[][] = [];
  for (const s of [...graph].sort((a, b) => compare(a.name, b.name))) {
    (waves[s.group] ??= []).push({ stack: s.name, dir: s.dir });
  }
  return waves;
}

/** How the repository gets `cdktf.out` on the Atlantis server. */
export type SynthMode =
  /** cdktf.out is committed: a pull request's diff holds the stacks it changes. */
  | "committed"
  /** A pre-workflow hook synthesizes it: the pull request changes only the app's sources. */
  | "hook";

export interface AtlantisOptions {
  /** Default `committed`. */
  readonly synth?: SynthMode;
  /** The Terraform CLI version of every project. Default {@link TERRAFORM_CLI_VERSION}. */
  readonly terraformVersion?: string;
  /** More `when_modified` patterns, relative to the repository root (e.g. an `INFRA_CONFIG` file), for `hook` mode. */
  readonly extraSources?: readonly string[];
  /** Accept stacks with a local backend (state on the Atlantis server's disk, lost with its clone). Default false. */
  readonly allowLocalBackend?: boolean;
}

/**
 * The repo-level `atlantis.yaml` (version 3) of a graph: one project per stack, named after it,
 * in its synthesized folder, planned when that folder's configuration or lock file changes
 * (in `hook` mode, also when the app's sources do), with `depends_on` its dependencies and
 * `execution_order_group` its depth. Plans and applies run in parallel within a group, and a
 * failure stops the groups after it.
 */
export function atlantisConfig(graph: readonly PlanStack[], options: AtlantisOptions = {}): Record<string, unknown> {
  const synth = options.synth ?? "committed";
  const terraformVersion = options.terraformVersion ?? TERRAFORM_CLI_VERSION;
  const extra = options.extraSources ?? [];
  if (synth === "committed" && extra.length > 0) {
    throw new PlanGraphError(`extra sources (${extra.join(", ")}) only apply when synth runs in a pre-workflow hook; pass --synth hook, or drop them.`);
  }
  for (const s of graph) {
    if (s.backend === "local" && !options.allowLocalBackend) {
      throw new PlanGraphError(
        `stack "${s.name}" keeps its state in a local file: under Atlantis it would live in the pull request's clone and be lost. ` +
          `Synthesize with INFRA_STATE_BACKEND=s3 and INFRA_STATE_BUCKET (README: State), or pass --allow-local-backend to try the file out.`,
      );
    }
    if (s.requiredVersion && !satisfies(terraformVersion, s.requiredVersion)) {
      throw new PlanGraphError(
        `terraform version ${terraformVersion} does not satisfy stack "${s.name}"'s required_version "${s.requiredVersion}"; ` +
          `pass a --terraform-version that does.`,
      );
    }
  }
  const projects = [...graph]
    .sort((a, b) => compare(a.name, b.name))
    .map((s) => {
      const toRoot = s.dir.split("/").map(() => "..").join("/");
      const whenModified = [s.configFile, ...(s.lockFile ? [".terraform.lock.hcl"] : [])];
      if (synth === "hook") whenModified.push(...[...APP_SOURCES, ...extra].map((p) => `${toRoot}/${p}`));
      return {
        name: s.name,
        dir: s.dir,
        terraform_version: terraformVersion,
        autoplan: { enabled: true, when_modified: whenModified },
        execution_order_group: s.group,
        ...(s.dependsOn.length > 0 ? { depends_on: [...s.dependsOn] } : {}),
      };
    });
  return { version: 3, parallel_plan: true, parallel_apply: true, abort_on_execution_order_fail: true, projects };
}

/** `atlantis.yaml` as text: a header saying where it comes from, then the configuration. */
export function renderAtlantisYaml(config: Record<string, unknown>, synth: SynthMode = "committed"): string {
  const header = [
    "# Generated by `npm run atlantis` from cdktf.out/manifest.json: do not edit, run it again after `npm run synth`.",
    synth === "committed"
      ? "# cdktf.out is committed: a pull request plans the stacks whose synthesized files it changes."
      : "# cdktf.out is synthesized by a pre-workflow hook: a change to the app's sources plans every stack.",
  ];
  return `${header.join("\n")}\n${stringify(config, { lineWidth: 0 })}`;
}

/** Whether `version` (x.y.z) meets a Terraform version constraint (`>= 1.11.0, < 2.0.0`; operators =, !=, >, >=, <, <=, ~>). */
export function satisfies(version: string, constraint: string): boolean {
  const v = parseVersion(version, version);
  return constraint.split(",").every((part) => {
    const m = /^\s*(=|!=|>=|<=|>|<|~>)?\s*v?([0-9][0-9.]*)\s*$/.exec(part);
    if (!m) throw new PlanGraphError(`required_version "${constraint}": cannot read "${part.trim()}" as a version constraint.`);
    const op = m[1] ?? "=";
    const segments = m[2].split(".").length;
    const c = parseVersion(m[2], constraint);
    const cmp = compareVersions(v, c);
    switch (op) {
      case "=":
        return cmp === 0;
      case "!=":
        return cmp !== 0;
      case ">":
        return cmp > 0;
      case ">=":
        return cmp >= 0;
      case "<":
        return cmp < 0;
      case "<=":
        return cmp <= 0;
      default: {
        // ~> 1.2.3 allows >= 1.2.3, < 1.3.0; ~> 1.2 allows >= 1.2, < 2.0.
        const upper = c.slice(0, Math.max(1, segments - 1));
        upper[upper.length - 1] += 1;
        return cmp >= 0 && compareVersions(v, [...upper, 0, 0].slice(0, 3)) < 0;
      }
    }
  });
}

function parseVersion(text: string, context: string): number[] {
  const parts = text.replace(/^v/, "").split(".");
  if (parts.length > 3 || parts.some((p) => !/^[0-9]+$/.test(p))) {
    throw new PlanGraphError(`"${context}": "${text}" is not a version of the form 1.11.4.`);
  }
  return [0, 1, 2].map((i) => Number(parts[i] ?? 0));
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Code-point order, the same on every machine and locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
