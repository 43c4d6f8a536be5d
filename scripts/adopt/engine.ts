import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { basename, join, normalize } from "path";
import { isMirrored, OFFLINE_AWS_PROVIDER, requiredProviders, TerraformWorkdir } from "../../__tests__/harness/terraform";
import { Json, Mask, PlanJson } from "../replan/plan-json";
import { TERRAFORM_CLI_VERSION } from "../plan-graph";
import { CombinedRoot } from "../replan/combined-root";
import { planOfModule, stateOfModules } from "../replan/modules";
import { showPlan, writeState } from "../replan/replan";
import { classify, STATEFUL_TYPES } from "../replan/review";
import { TerraformState } from "../replan/state";
import { importId } from "./identity";
import { ExistingResource, existingResources, Match, matchResources, MatchResult, projectResources } from "./match";

/**
 * `npm run adopt`'s engine: matches existing state to the synthesized stacks by identity,
 * writes what a team applies (import blocks per stack, removed blocks for the old root), and
 * proves it offline: each stack re-plans (-refresh=false) against the state its imports
 * would produce, and the old root, retired with its removed blocks, re-plans against its
 * own state.
 */

const AWS = 'provider["registry.terraform.io/hashicorp/aws"]';

export interface ImportBlock {
  readonly to: string;
  readonly id: string;
}

export interface StackProof {
  readonly stack: string;
  readonly imports: (ImportBlock & { readonly from: string })[];
  /** Adopted resources updated in place, with the attributes that change. */
  readonly updates: {
    readonly address: string;
    readonly attributes: string[];
    readonly notes: string[];
    /** Each changed attribute's value before (the existing resource) and after (the stack); unknown after is `"(known after apply)"`. */
    readonly values: Record<string, { readonly before: Json; readonly after: Json }>;
  }[];
  readonly replaced: { readonly address: string; readonly forcedBy: string[] }[];
  readonly destroyed: string[];
  /** The stack's resources that nothing existing matched: created by the first apply. */
  readonly created: string[];
}

export interface RetireProof {
  readonly source: string;
  /** `removed { destroy = false }` blocks, by resource address. */
  readonly removed: string[];
  /** Resource instances the retired root forgets (they stay in AWS, now managed by the stacks). */
  readonly forgotten: string[];
  /** Resource instances the retired root destroys: the unmatched ones. */
  readonly destroyed: string[];
  /** Resources only partly adopted (some instances matched, some not): their removed block forgets every instance. */
  readonly partial: string[];
}

export interface AdoptResult {
  readonly match: MatchResult;
  readonly stacks: StackProof[];
  readonly retire: RetireProof[];
  /** Why the adoption stops; empty when it can go ahead. */
  readonly stopped: string[];
}

export interface AdoptOptions {
  /** The synth output (`cdktf.out`) of the target system and environment. */
  readonly outdir: string;
  /** Existing states (`terraform state pull`), each with the name the report gives it. */
  readonly states: readonly { readonly source: string; readonly state: TerraformState }[];
  /** Where to write the import and removed blocks and the report. @default nothing written */
  readonly out?: string;
  readonly progress?: (message: string) => void;
}

/** The AWS stacks of a synth output that can be planned offline, by name. */
function offlineStacks(outdir: string): Record<string, Record<string, any>> {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
  const result: Record<string, Record<string, any>> = {};
  for (const stack of Object.keys(manifest.stacks).sort()) {
    const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
    if (requiredProviders(json).every(isMirrored)) result[stack] = json;
  }
  return result;
}

export function adopt(options: AdoptOptions): AdoptResult {
  const stacks = offlineStacks(options.outdir);
  const existing = options.states.flatMap((s) => existingResources(s.source, s.state));
  const match = matchResources(existing, projectResources(stacks), stacks);
  const adoptedStates = new Map<string, TerraformState>();
  for (const stack of Object.keys(stacks)) {
    const mine = match.matches.filter((m) => m.project.stack === stack);
    if (mine.length > 0) adoptedStates.set(stack, adoptedState(mine));
  }
  options.progress?.(`${[...adoptedStates].map(([stack, state]) => `${stack} (${state.resources.length} imports)`).join(", ")}: re-planning against the states the imports produce`);
  const proofs = adoptedStates.size > 0 ? proveStacks(options.outdir, adoptedStates, match) : [];
  const retire = options.states.map((s) => {
    options.progress?.(`${s.source}: re-planning the old root, retired with its removed blocks`);
    return proveRetirement(s.source, s.state, match);
  });
  const stopped = [
    ...proofs.flatMap((p) => [
      ...p.replaced.map((r) => `${p.stack}: ${r.address} would be replaced (forced by ${r.forcedBy.join(", ") || "?"}): make the stack keep the existing value (docs/adopt.md), or leave the resource in the old root`),
      ...p.destroyed.map((a) => `${p.stack}: ${a} would be destroyed`),
    ]),
    ...retire.flatMap((r) => (r.forgotten.length === 0 && r.removed.length > 0 ? [`${r.source}: the retired root's plan forgets none of the ${r.removed.length} removed resources (removed blocks need Terraform 1.7+)`] : [])),
    ...retire.flatMap((r) => r.destroyed.filter((a) => match.matches.some((m) => m.existing.source === r.source && m.existing.address === a)).map((a) => `${r.source}: retiring the old root destroys the adopted ${a}`)),
    ...retire.flatMap((r) => r.destroyed.flatMap((a) => dataLostAtRetirement(r.source, a, existing, match))),
  ];
  const result: AdoptResult = { match, stacks: proofs, retire, stopped };
  if (options.out) writeOutputs(options.out, result);
  return result;
}

/**
 * Why destroying `address` of the old root `source` at retirement loses what must not be lost,
 * if it does: a resource that is not adopted but holds data (a key, a database, a bucket: review's
 * STATEFUL_TYPES), or a setting of an adopted bucket (`aws_s3_bucket_*`: its policy, public access
 * block, versioning), which the stack sets anew and the old root's destroy would then undo.
 */
export function dataLostAtRetirement(source: string, address: string, existing: readonly ExistingResource[], match: MatchResult): string[] {
  const resource = existing.find((e) => e.source === source && e.address === address);
  if (!resource || match.matches.some((m) => m.existing === resource)) return [];
  const stateful = STATEFUL_TYPES[resource.type];
  if (stateful) return [`${source}: retiring the old root destroys ${address}, a ${stateful} that is not adopted: adopt it, or take it out of the old root's state first (terraform state rm)`];
  const bucket = resource.type.startsWith("aws_s3_bucket_") ? String(resource.instance.attributes.bucket ?? "") : "";
  const adoptedBucket = match.matches.some((m) => m.project.type === "aws_s3_bucket" && String(m.existing.instance.attributes.bucket) === bucket);
  if (adoptedBucket) return [`${source}: retiring the old root destroys ${address}, a setting of the adopted bucket ${bucket}, after the stack sets its own: take it out of the old root's state first (terraform state rm)`];
  return [];
}

/** The state `terraform import` would leave in a stack: each matched instance, as it exists, at its new address. */
export function adoptedState(matches: readonly Match[]): TerraformState {
  return {
    version: 4,
    terraform_version: TERRAFORM_CLI_VERSION,
    serial: 1,
    lineage: "00000000-0000-4000-8000-0000000adopt",
    outputs: {},
    resources: matches.map((m) => ({
      mode: "managed" as const,
      type: m.project.type,
      name: m.project.address.slice(m.project.type.length + 1),
      provider: AWS,
      instances: [{ schema_version: m.existing.instance.schema_version, attributes: m.existing.instance.attributes, sensitive_attributes: m.existing.instance.sensitive_attributes }],
    })),
    check_results: null,
  };
}

/** A stack's import blocks. */
export function importBlocks(matches: readonly Match[], stack: string): (ImportBlock & { from: string })[] {
  return matches
    .filter((m) => m.project.stack === stack)
    .map((m) => ({ to: m.project.address, id: importId(m.project.type, m.existing.instance.attributes), from: `${m.existing.source}: ${m.existing.address}` }));
}

/**
 * Each stack re-planned (-refresh=false) against the state its imports produce, all in one
 * plan: the stacks are the modules of one root (scripts/replan/combined-root.ts), which holds
 * the import blocks (`to = module.<stack>.<address>`: terraform takes them only in the root),
 * each stack's imported state inside its module, and each stack's remote states as its
 * producers hold them after adoption.
 */
function proveStacks(outdir: string, adoptedStates: ReadonlyMap<string, TerraformState>, match: MatchResult): StackProof[] {
  const stacks = [...adoptedStates.keys()];
  const root = new CombinedRoot(stacks.map((stack) => ({ name: stack, outdir, stack })));
  try {
    root.workdir.must(["init", "-input=false"]);
    for (const stack of stacks) adoptRemoteStates(root.memberDir(stack), outdir, adoptedStates);
    writeState(root.workdir, stateOfModules(adoptedStates, TERRAFORM_CLI_VERSION, root.shared));
    const imports = new Map(stacks.map((stack) => [stack, importBlocks(match.matches, stack)]));
    // The import blocks take part: terraform checks each address exists in the stack, and skips
    // an import whose resource is already in state, as it is here.
    const rootImports = stacks.flatMap((stack) => imports.get(stack)!.map(({ to, id }) => ({ to: `module.${stack}.${to}`, id })));
    writeFileSync(join(root.workdir.dir, "adopt.tf.json"), JSON.stringify({ import: rootImports }, null, 1));
    root.workdir.must(["plan", "-refresh=false", "-input=false", "-lock=false", "-out=adopt.tfplan"]);
    const combined = showPlan(root.workdir, "adopt.tfplan");
    return stacks.map((stack) => proofOf(stack, imports.get(stack)!, planOfModule(combined, stack, root.keysOf(stack))));
  } finally {
    root.dispose();
  }
}

/** What a stack's re-plan does to what it adopts. */
function proofOf(stack: string, imports: (ImportBlock & { from: string })[], plan: PlanJson): StackProof {
  const adopted = new Set(imports.map((i) => i.to));
  const changes = classify(plan);
  return {
    stack,
    imports,
    updates: changes
      .filter((c) => c.action === "update" && adopted.has(c.address))
      .map((c) => {
        const attributes = c.attributes.length > 0 ? c.attributes : changedAttributes(plan, c.address);
        return { address: c.address, attributes, notes: c.notes, values: valuesOf(plan, c.address, attributes) };
      }),
    replaced: changes.filter((c) => c.action === "replace").map((c) => ({ address: c.address, forcedBy: c.forcedBy })),
    destroyed: changes.filter((c) => c.action === "delete").map((c) => c.address),
    created: changes.filter((c) => c.action === "create").map((c) => c.address),
  };
}

/** An update's changed attributes, `tags_all` included (review's list leaves it out). */
function changedAttributes(plan: PlanJson, address: string): string[] {
  const rc = plan.resource_changes?.find((r) => r.address === address);
  const before = (rc?.change.before ?? {}) as Record<string, Json>;
  const after = (rc?.change.after ?? {}) as Record<string, Json>;
  const unknown = (rc?.change.after_unknown ?? {}) as Record<string, Mask>;
  return Object.keys({ ...before, ...after })
    .filter((k) => unknown[k] === true || JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null))
    .sort();
}

function valuesOf(plan: PlanJson, address: string, attributes: readonly string[]): Record<string, { before: Json; after: Json }> {
  const rc = plan.resource_changes?.find((r) => r.address === address);
  const before = (rc?.change.before ?? {}) as Record<string, Json>;
  const after = (rc?.change.after ?? {}) as Record<string, Json>;
  const unknown = (rc?.change.after_unknown ?? {}) as Record<string, Mask>;
  return Object.fromEntries(attributes.map((a) => [a, { before: before[a] ?? null, after: unknown[a] === true ? "(known after apply)" : (after[a] ?? null) }]));
}

/**
 * Points the stack's cross-stack inputs at what its producers hold after adoption: an output
 * that exports an adopted resource's attribute (a subnet's id) takes the existing value, so the
 * stack re-plans against the real ids, as it will once its producers are adopted.
 */
function adoptRemoteStates(dir: string, outdir: string, adoptedStates: ReadonlyMap<string, TerraformState>): void {
  for (const file of readdirSync(dir).filter((f) => f.startsWith("remote-state-cross-stack-reference-input-"))) {
    const producer = file.slice("remote-state-cross-stack-reference-input-".length, -".tfstate".length);
    const produced = adoptedStates.get(producer);
    if (!produced) continue;
    const outputs = (JSON.parse(readFileSync(join(outdir, "stacks", producer, "cdk.tf.json"), "utf8")) as { output?: Record<string, { value: Json }> }).output ?? {};
    const state = JSON.parse(readFileSync(join(dir, file), "utf8")) as { outputs: Record<string, { value: Json; type: Json }> };
    for (const [name, output] of Object.entries(state.outputs)) {
      const ref = /^\$\{(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/.exec(String(outputs[name]?.value ?? ""));
      const resource = ref && produced.resources.find((r) => r.type === ref[1] && r.name === ref[2]);
      const value = resource ? resource.instances[0].attributes[ref![3]] : undefined;
      if (value !== undefined && value !== null && typeof value === typeof output.value) output.value = value;
    }
    writeFileSync(join(dir, file), JSON.stringify(state));
  }
}

/** The removed blocks of one old root: every resource with an adopted instance. */
export function removedBlocks(match: MatchResult, source: string): { removed: string[]; partial: string[] } {
  const adopted = [...new Set(match.matches.filter((m) => m.existing.source === source).map((m) => m.existing.resourceAddress))].sort();
  const partial = adopted.filter((r) => match.unmatchedExisting.some((u) => u.resource.source === source && u.resource.resourceAddress === r));
  return { removed: adopted, partial };
}

function removedJson(removed: readonly string[]): Record<string, unknown> {
  return { removed: removed.map((from) => ({ from, lifecycle: { destroy: false } })) };
}

/**
 * The old root retired: no resources left in its configuration, only its removed blocks, planned
 * against its own state. Adopted resources must be forgotten, never destroyed.
 */
function proveRetirement(source: string, state: TerraformState, match: MatchResult): RetireProof {
  const { removed, partial } = removedBlocks(match, source);
  const dir = mkdtempSync(join(tmpdir(), "adopt-retired-"));
  const region = match.matches[0] ? String(match.matches[0].existing.instance.attributes.arn ?? "").split(":")[3] || "us-east-1" : "us-east-1";
  writeFileSync(
    join(dir, "main.tf.json"),
    JSON.stringify({
      terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } }, backend: { local: { path: "terraform.tfstate" } } },
      provider: { aws: { region, ...OFFLINE_AWS_PROVIDER } },
    }),
  );
  writeFileSync(join(dir, "adopt_removed.tf.json"), JSON.stringify(removedJson(removed), null, 1));
  const workdir = new TerraformWorkdir(dir, `retired-${basename(source).replace(/[^A-Za-z0-9-]/g, "-")}`, { directory: dir });
  try {
    workdir.must(["init", "-input=false"]);
    writeState(workdir, state);
    workdir.must(["plan", "-refresh=false", "-input=false", "-lock=false", "-out=retire.tfplan"]);
    const plan = showPlan(workdir, "retire.tfplan");
    const managed = (plan.resource_changes ?? []).filter((rc) => rc.mode === "managed");
    return {
      source,
      removed,
      forgotten: managed.filter((rc) => rc.change.actions.includes("forget")).map((rc) => rc.address).sort(),
      destroyed: managed.filter((rc) => rc.change.actions.includes("delete")).map((rc) => rc.address).sort(),
      partial,
    };
  } finally {
    workdir.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes the import blocks per stack, the removed blocks per old root, and the report. */
function writeOutputs(out: string, result: AdoptResult): void {
  mkdirSync(out, { recursive: true });
  for (const p of result.stacks) {
    mkdirSync(join(out, "stacks", p.stack), { recursive: true });
    writeFileSync(join(out, "stacks", p.stack, "adopt.tf.json"), `${JSON.stringify({ import: p.imports.map(({ to, id }) => ({ to, id })) }, null, 2)}\n`);
  }
  for (const r of result.retire) {
    const dir = join(out, retireDir(r.source, result.retire.map((x) => x.source)));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "adopt_removed.tf.json"), `${JSON.stringify(removedJson(r.removed), null, 2)}\n`);
  }
  writeFileSync(join(out, "adopt-report.md"), renderAdoptMarkdown(result));
  writeFileSync(join(out, "adopt-report.json"), `${JSON.stringify(summary(result), null, 2)}\n`);
}

/**
 * Where an old root's removed blocks go in the output folder: `retire/<state file name without
 * extension>`, or, where two state files share a name (`network/prod.tfstate`, `app/prod.tfstate`),
 * `retire/<its path without extension>`, so that neither overwrites the other's.
 */
export function retireDir(source: string, sources: readonly string[]): string {
  const name = (s: string) => basename(s).replace(/\.[^.]*$/, "");
  const shared = sources.filter((s) => name(s) === name(source)).length > 1;
  const path = normalize(source).replace(/^(\.\.\/)+|^\/+/, "").replace(/\.[^./]*$/, "");
  return join("retire", shared ? path.replace(/[^A-Za-z0-9._/-]/g, "-") : name(source));
}

/** The report's facts as JSON (for scripts): per stack, imports, updates, replacements, destroys. */
export function summary(result: AdoptResult) {
  return {
    stopped: result.stopped,
    stacks: result.stacks.map((p) => ({ stack: p.stack, imports: p.imports.length, updates: p.updates, replaced: p.replaced, destroyed: p.destroyed, created: p.created })),
    unmatchedExisting: result.match.unmatchedExisting.map((u) => ({ source: u.resource.source, address: u.resource.address, reason: u.reason })),
    unmatchedProject: result.match.unmatchedProject.map((u) => ({ stack: u.resource.stack, address: u.resource.address })),
    retire: result.retire,
  };
}

export function exitCode(result: AdoptResult): number {
  return result.stopped.length > 0 ? 2 : 0;
}

export function renderAdoptMarkdown(result: AdoptResult): string {
  const lines: string[] = ["## Adoption of existing Terraform state", ""];
  if (result.stopped.length > 0) {
    lines.push("### :no_entry: Adoption stopped", "", ...result.stopped.map((s) => `- ${s}`), "");
  } else {
    lines.push("Every adopted resource re-plans with zero replacements and zero destroys; retiring the old root destroys none of them.", "");
  }
  lines.push("| stack | imports | updated in place | replaced | destroyed | created new |", "|---|---|---|---|---|---|");
  for (const p of result.stacks) lines.push(`| \`${p.stack}\` | ${p.imports.length} | ${p.updates.length} | ${p.replaced.length} | ${p.destroyed.length} | ${p.created.length} |`);
  lines.push("");
  for (const p of result.stacks) {
    lines.push(`### \`${p.stack}\``, "", `Drop \`stacks/${p.stack}/adopt.tf.json\` next to the stack's \`cdk.tf.json\` and apply once.`, "");
    if (p.updates.length > 0) {
      lines.push("**Updated in place by the project's defaults**", "");
      for (const u of p.updates) {
        lines.push(`- \`${u.address}\`: ${u.attributes.map((a) => `\`${a}\``).join(", ")}`);
        for (const n of u.notes.filter((n) => !n.includes("\n"))) lines.push(`  - ${n}`);
      }
      lines.push("");
    }
    for (const [title, items] of [
      ["Replaced", p.replaced.map((r) => `\`${r.address}\` (forced by \`${r.forcedBy.join("`, `")}\`)`)],
      ["Destroyed", p.destroyed.map((a) => `\`${a}\``)],
      ["Created new (nothing existing matched)", p.created.map((a) => `\`${a}\``)],
    ] as const) {
      if (items.length === 0) continue;
      lines.push(`**${title}**`, "", ...items.map((i) => `- ${i}`), "");
    }
    lines.push("<details><summary>Imports</summary>", "", "| to | id | from |", "|---|---|---|", ...p.imports.map((i) => `| \`${i.to}\` | \`${i.id}\` | \`${i.from}\` |`), "", "</details>", "");
  }
  lines.push("### Existing resources no stack matched", "");
  if (result.match.unmatchedExisting.length === 0) lines.push("None.", "");
  for (const u of result.match.unmatchedExisting) lines.push(`- \`${u.resource.source}: ${u.resource.address}\`: ${u.reason}`);
  lines.push("");
  lines.push("### Stack resources no existing resource matched", "", "Created by each stack's first apply:", "");
  const byStack = new Map<string, string[]>();
  for (const u of result.match.unmatchedProject) byStack.set(u.resource.stack, [...(byStack.get(u.resource.stack) ?? []), u.resource.address]);
  for (const [stack, addresses] of [...byStack].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`<details><summary><code>${stack}</code>: ${addresses.length}</summary>`, "", ...addresses.sort().map((a) => `- \`${a}\``), "", "</details>", "");
  }
  lines.push("### Retiring the old root", "");
  for (const r of result.retire) {
    lines.push(`\`${r.source}\`: add \`${retireDir(r.source, result.retire.map((x) => x.source))}/adopt_removed.tf.json\` (${r.removed.length} \`removed\` blocks, \`destroy = false\`) and remove the adopted resources from the configuration. The retired root forgets ${r.forgotten.length} instances and destroys ${r.destroyed.length}${r.destroyed.length ? ":" : "."}`, "");
    for (const d of r.destroyed) lines.push(`- destroys \`${d}\` (not adopted: keep it in the old root, or add its own removed block, if it must stay)`);
    for (const p of r.partial) lines.push(`- :warning: \`${p}\` is only partly adopted: its removed block forgets every instance`);
    lines.push("");
  }
  lines.push(
    "<sub>Proven offline: each stack re-planned with `-refresh=false` against the state its imports produce, from the existing state's attributes. It can't see drift made outside Terraform, apply-time failures, or what AWS normalizes on read.</sub>",
    "",
  );
  return lines.join("\n");
}
