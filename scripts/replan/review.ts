import { createHash } from "crypto";
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { isMirrored, requiredProviders } from "../../__tests__/harness/terraform";
import { Json, Mask, PlanJson } from "./plan-json";
import { CombinedRoot } from "./combined-root";
import { planOfModule, stateOfModules } from "./modules";
import { deployModules, showPlan, writeState } from "./replan";
import { TerraformState } from "./state";

/**
 * The reviewer's view of a change: for every stack of two synth outputs (base and head), the
 * base stack's deployed state is built from its plan, and the head re-plans against it,
 * offline. Terraform's own verdict per resource comes back: added, updated in place, replaced
 * (with the attribute that forces it), destroyed, moved.
 */

/**
 * Resource types whose replacement or destruction loses data or identity others depend on: data
 * (a database, a bucket, a queue's messages, a log group's logs), or a name or address that
 * something outside the stack may hold (a load balancer's or distribution's DNS name, an Elastic
 * IP that partners allow, a topic's subscriptions).
 */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  aws_db_instance: "database",
  aws_rds_cluster: "database",
  aws_rds_cluster_instance: "database",
  aws_elasticache_replication_group: "cache",
  aws_elasticache_cluster: "cache",
  aws_s3_bucket: "bucket",
  aws_dynamodb_table: "table",
  aws_eks_cluster: "EKS cluster",
  aws_route53_zone: "hosted zone",
  aws_kms_key: "KMS key",
  aws_secretsmanager_secret: "secret",
  aws_ecr_repository: "image repository",
  aws_efs_file_system: "file system",
  aws_sqs_queue: "queue",
  aws_cloudwatch_log_group: "log group",
  aws_lb: "load balancer",
  aws_cloudfront_distribution: "CDN distribution",
  aws_eip: "Elastic IP",
  aws_sns_topic: "topic",
};

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  /** `forget`: a `removed` block with `destroy = false` (the resource stays in AWS, unmanaged). */
  readonly action: "create" | "update" | "replace" | "delete" | "forget" | "move";
  /** Top-level attributes that change (update and replace). */
  readonly attributes: string[];
  /** Paths that force the replacement, e.g. `subnet_id`. */
  readonly forcedBy: string[];
  readonly previousAddress?: string;
  /** Human notes: a major engine upgrade, a decoded user-data diff... */
  readonly notes: string[];
  readonly stateful?: string;
}

export interface OutputChange {
  readonly name: string;
  readonly action: string;
  /** Stacks that read this output through remote state. */
  readonly readers: string[];
}

export interface StackReview {
  readonly stack: string;
  readonly status: "added" | "removed" | "unchanged" | "changed" | "skipped";
  readonly reason?: string;
  readonly changes: ResourceChange[];
  readonly outputs: OutputChange[];
  /** Resources of a removed stack (all destroyed if its state is destroyed). */
  readonly resources?: string[];
}

export interface Review {
  readonly stacks: StackReview[];
  /** Stateful resources replaced, destroyed or forgotten, and not acknowledged. */
  readonly blocking: ResourceChange[];
  /** Stateful resources replaced, destroyed or forgotten, acknowledged with --accept. */
  readonly accepted: ResourceChange[];
}

export interface ReviewOptions {
  /** Addresses (`<stack>/<address>` or `<address>`) whose replacement or destruction is intended. */
  readonly accept?: readonly string[];
  /** Called before each stack is planned (progress on long reviews). */
  readonly progress?: (message: string) => void;
}

/** One stack to review: its base and its head synth output. */
export interface ReviewPair {
  readonly baseOutdir: string;
  readonly headOutdir: string;
  readonly stack: string;
  /** The head's stacks (the readers of an output that changes). */
  readonly headStacks: readonly string[];
}

/** Reviews every stack of `headOutdir` against `baseOutdir` (two `cdktf.out` directories). */
export function reviewOutdirs(baseOutdir: string, headOutdir: string, options: ReviewOptions = {}): Review {
  const base = stacksOf(baseOutdir);
  const head = stacksOf(headOutdir);
  const reviewed = new Map(reviewPairs(pairsOf(baseOutdir, headOutdir), options).map((r) => [r.stack, r]));
  const stacks = [...new Set([...base, ...head])].sort().map((stack): StackReview => {
    if (!base.includes(stack)) return { stack, status: "added", changes: [], outputs: [] };
    if (!head.includes(stack)) return { stack, status: "removed", changes: [], outputs: [], resources: resourceAddresses(baseOutdir, stack) };
    return reviewed.get(stack)!;
  });
  return summarize(stacks, options.accept);
}

/** The stacks present in both synth outputs, as pairs to review. */
export function pairsOf(baseOutdir: string, headOutdir: string): ReviewPair[] {
  const base = stacksOf(baseOutdir);
  const head = stacksOf(headOutdir);
  return head.filter((stack) => base.includes(stack)).map((stack) => ({ baseOutdir, headOutdir, stack, headStacks: head }));
}

/** The review of `stacks`: the stateful resources replaced or destroyed, blocking unless in `accept`. */
export function summarize(stacks: StackReview[], acceptList: readonly string[] = []): Review {
  const accept = new Set(acceptList);
  const risky = stacks.flatMap((s) =>
    [
      ...s.changes.filter((c) => c.stateful && (c.action === "replace" || c.action === "delete" || c.action === "forget")),
      ...(s.status === "removed" ? (s.resources ?? []).filter((a) => STATEFUL_TYPES[a.split(".")[0]]).map((a) => removedResource(a)) : []),
    ].map((c) => ({ stack: s.stack, change: c })),
  );
  const isAccepted = (r: { stack: string; change: ResourceChange }) => accept.has(r.change.address) || accept.has(`${r.stack}/${r.change.address}`);
  return {
    stacks,
    blocking: risky.filter((r) => !isAccepted(r)).map((r) => ({ ...r.change, address: `${r.stack}/${r.change.address}` })),
    accepted: risky.filter(isAccepted).map((r) => ({ ...r.change, address: `${r.stack}/${r.change.address}` })),
  };
}

/**
 * Reviews stacks present on both sides, in order. Those that changed are planned together:
 * the bases' deployed states are built in one combined root (./combined-root.ts), and the
 * heads re-plan against them in another, so a review of many stacks costs two roots' worth of
 * terraform commands rather than two per stack.
 */
export function reviewPairs(pairs: readonly ReviewPair[], options: ReviewOptions = {}): StackReview[] {
  const results = pairs.map(unplanned);
  const todo = pairs.flatMap((pair, index) => (results[index] ? [] : [{ pair, index }]));
  if (todo.length === 0) return results as StackReview[];
  const states = deployedStatesOf(
    todo.map((t) => t.pair),
    options,
  );
  const names = uniqueNames(todo.map((t) => t.pair.stack));
  // Planned without prevent_destroy, which would stop the plan at the first protected change:
  // those changes are reported instead, as blocking (markProtected).
  const head = new CombinedRoot(
    todo.map((t, i) => ({ name: names[i], outdir: t.pair.headOutdir, stack: t.pair.stack })),
    { configure: withoutPreventDestroy },
  );
  try {
    options.progress?.(`${names.join(", ")}: re-planning the head against it`);
    head.workdir.must(["init", "-input=false", "-reconfigure"]);
    writeState(head.workdir, stateOfModules(new Map(names.map((name, i) => [name, states[i]])), states[0].terraform_version, head.shared));
    head.workdir.must(["plan", "-refresh=false", "-input=false", "-lock=false", "-out=review.tfplan"]);
    const plan = showPlan(head.workdir, "review.tfplan");
    todo.forEach(({ pair, index }, i) => {
      const own = planOfModule(plan, names[i], head.keysOf(names[i]));
      const changes = markProtected(classify(own), protectedAddresses(pair.headOutdir, pair.stack));
      const outputs = Object.entries(own.output_changes ?? {})
        .filter(([, o]) => !o.actions.includes("no-op"))
        .map(([name, o]) => ({ name, action: o.actions.join("/"), readers: readersOf(pair.headOutdir, pair.headStacks, pair.stack, name) }));
      results[index] = { stack: pair.stack, status: changes.length + outputs.length > 0 ? "changed" : "unchanged", changes, outputs };
    });
  } finally {
    head.dispose();
  }
  return results as StackReview[];
}

/** `json` (a stack's configuration) with no resource's `lifecycle.prevent_destroy`. */
export function withoutPreventDestroy<T extends Record<string, unknown>>(json: T): T {
  const copy = structuredClone(json);
  for (const byName of Object.values((copy.resource ?? {}) as Record<string, Record<string, { lifecycle?: Record<string, unknown> }>>)) {
    for (const body of Object.values(byName)) delete body.lifecycle?.prevent_destroy;
  }
  return copy;
}

/** The addresses of a synthesized stack's resources that are `prevent_destroy`. */
function protectedAddresses(outdir: string, stack: string): Set<string> {
  return new Set(resourcesOfStack(outdir, stack).filter(([, body]) => body.lifecycle?.prevent_destroy === true).map(([address]) => address));
}

/**
 * `changes` with each replacement of a `prevent_destroy` resource marked as blocking: Terraform
 * refuses that plan, so the apply would stop before deleting anything. (A resource removed from
 * the configuration takes its `prevent_destroy` with it: its destruction is not refused.)
 */
export function markProtected(changes: ResourceChange[], protectedSet: ReadonlySet<string>): ResourceChange[] {
  return changes.map((c) =>
    c.action === "replace" && protectedSet.has(c.address)
      ? {
          ...c,
          stateful: c.stateful ?? "protected resource",
          notes: ["prevent_destroy refuses this plan: the apply stops before deleting anything; turn deletionProtection off first, or undo the change", ...c.notes],
        }
      : c,
  );
}

/** The review of a stack that needs no plan (identical on both sides, or a provider the mirror lacks); undefined for any other. */
function unplanned(pair: ReviewPair): StackReview | undefined {
  const { stack } = pair;
  const headText = readFileSync(join(pair.headOutdir, "stacks", stack, "cdk.tf.json"), "utf8");
  if (baseTextOf(pair) === headText && sameInputs(pair.baseOutdir, pair.headOutdir, stack)) return { stack, status: "unchanged", changes: [], outputs: [] };
  const missing = requiredProviders(JSON.parse(headText)).filter((p) => !isMirrored(p));
  if (missing.length > 0) {
    return { stack, status: "skipped", reason: `needs ${missing.map((p) => p.address).join(", ")}, which the offline provider mirror lacks: review its JSON diff by hand`, changes: [], outputs: [] };
  }
  return undefined;
}

/** The base's deployed states by outdir, stack and JSON: built once per process, as several heads may be reviewed against one base. */
const deployedStates = new Map<string, TerraformState>();

function baseTextOf(pair: ReviewPair): string {
  return readFileSync(join(pair.baseOutdir, "stacks", pair.stack, "cdk.tf.json"), "utf8");
}

function baseKey(pair: ReviewPair): string {
  return `${pair.baseOutdir}\0${pair.stack}\0${createHash("sha256").update(baseTextOf(pair)).digest("hex")}`;
}

/**
 * The states the base stacks of `pairs` would have once applied, in order: those not built
 * yet are planned together in one combined root, built from that plan and settled by re-plans.
 */
function deployedStatesOf(pairs: readonly ReviewPair[], options: ReviewOptions): TerraformState[] {
  const keys = pairs.map(baseKey);
  const missing = pairs.filter((_, i) => !deployedStates.has(keys[i]) && keys.indexOf(keys[i]) === i);
  if (missing.length > 0) buildDeployedStates(missing, options);
  return keys.map((key) => deployedStates.get(key)!);
}

/** Builds the deployed states of `pairs`' bases (distinct) into {@link deployedStates}. */
function buildDeployedStates(missing: readonly ReviewPair[], options: ReviewOptions): void {
  const names = uniqueNames(missing.map((p) => p.stack));
  options.progress?.(`${names.join(", ")}: building the deployed state of the base`);
  const base = new CombinedRoot(missing.map((p, i) => ({ name: names[i], outdir: p.baseOutdir, stack: p.stack })));
  try {
    base.workdir.must(["init", "-input=false", "-reconfigure"]);
    base.workdir.must(["plan", "-input=false", "-lock=false", "-out=tfplan"]);
    const { verdicts, states } = deployModules(base.workdir, names, () => undefined, base.shared);
    missing.forEach((pair, i) => {
      const settled = verdicts.get(names[i])!;
      if (!settled.noChanges) options.progress?.(`${pair.stack}: note: the base itself does not re-plan clean (${[...settled.changes, ...settled.outputChanges].join(", ")})`);
      deployedStates.set(baseKey(pair), states.get(names[i])!);
    });
  } finally {
    base.dispose();
  }
}

/** Module names for stacks, each unique: a stack reviewed against two heads is `<stack>` and `<stack>--2`. */
function uniqueNames(stacks: readonly string[]): string[] {
  return stacks.map((stack, i) => {
    const before = stacks.slice(0, i).filter((s) => s === stack).length;
    return before === 0 ? stack : `${stack}--${before + 1}`;
  });
}

/** Terraform's verdict per resource, from the re-plan's JSON. */
export function classify(plan: PlanJson): ResourceChange[] {
  const result: ResourceChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== "managed") continue;
    const actions = rc.change.actions;
    const moved = rc.previous_address !== undefined && rc.previous_address !== rc.address;
    let action: ResourceChange["action"];
    if (actions.includes("delete") && actions.includes("create")) action = "replace";
    else if (actions.includes("create")) action = "create";
    else if (actions.includes("delete")) action = "delete";
    else if (actions.includes("update")) action = "update";
    else if (actions.includes("forget")) action = "forget";
    else if (moved) action = "move";
    else continue;
    const before = (rc.change.before ?? {}) as Record<string, Json>;
    const after = (rc.change.after ?? {}) as Record<string, Json>;
    const unknown = (rc.change.after_unknown ?? {}) as Record<string, Mask>;
    const attributes =
      action === "update" || action === "replace"
        ? Object.keys({ ...before, ...after })
            .filter((k) => k !== "tags_all")
            .filter((k) => (unknown[k] === true ? action === "update" && before[k] !== null && before[k] !== undefined : JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)))
            .sort()
        : [];
    result.push({
      address: rc.address,
      type: rc.type,
      action,
      attributes,
      forcedBy: (rc.change.replace_paths ?? []).map((p) => p.map((s) => (typeof s === "number" ? `[${s}]` : s)).join(".").replace(/\.\[/g, "[")),
      ...(moved ? { previousAddress: rc.previous_address } : {}),
      notes: [...notesFor(rc.type, before, after, attributes), ...replacementNotes(rc.type, actions, before, after)],
      ...(STATEFUL_TYPES[rc.type] ? { stateful: STATEFUL_TYPES[rc.type] } : {}),
    });
  }
  return result.sort((a, b) => a.address.localeCompare(b.address));
}

/** What a reviewer should know beyond the attribute names. */
function notesFor(type: string, before: Record<string, Json>, after: Record<string, Json>, attributes: string[]): string[] {
  const notes: string[] = [];
  for (const attribute of attributes) {
    const from = before[attribute];
    const to = after[attribute];
    if (attribute === "engine_version" && typeof from === "string" && typeof to === "string") {
      const major = (v: string) => (/^\d+\.\d+/.test(v) && Number(v.split(".")[0]) < 10 ? v.split(".").slice(0, 2).join(".") : v.split(".")[0]);
      const rdsSteps = type === "aws_db_instance" ? ", apply it with rds.applyImmediately true, then remove that (docs/data.md, Changing a running database or cache)" : "";
      notes.push(
        major(from) !== major(to)
          ? `major engine upgrade ${from} -> ${to}: in place, with downtime while the instance upgrades; snapshot first${rdsSteps}, and check that the parameter group and the application support ${to}`
          : `engine version ${from} -> ${to}`,
      );
    } else if ((attribute === "user_data" || attribute === "user_data_base64") && typeof to === "string") {
      notes.push(`user data, decoded:\n${lineDiff(decodeUserData(from), decodeUserData(to))}`);
    } else if (to === undefined || (to === null && from !== null)) {
      // Unknown in the plan: it follows a replaced resource (a route to a NAT gateway being replaced).
    } else if (typeof from !== "object" && typeof to !== "object" && attribute !== "user_data") {
      notes.push(`${attribute}: ${JSON.stringify(from)} -> ${JSON.stringify(to)}`);
    }
  }
  return notes;
}

/**
 * A replacement created before its old resource is deleted (`create_before_destroy`) under the
 * same name: AWS refuses a second target group, launch template, role... of one name, so the
 * apply fails at the create (nothing is deleted).
 */
function replacementNotes(type: string, actions: readonly string[], before: Record<string, Json>, after: Record<string, Json>): string[] {
  const name = before.name;
  if (actions[0] !== "create" || !actions.includes("delete") || typeof name !== "string" || after.name !== name) return [];
  const where = type === "aws_lb_target_group" ? " (targetGroup.name)" : "";
  return [`the new one is created before the old one is deleted, under the same name "${name}", which AWS refuses: give it a new name with this change${where}`];
}

function decodeUserData(value: Json | undefined): string {
  if (typeof value !== "string") return "";
  const decoded = Buffer.from(value, "base64").toString("utf8");
  return Buffer.from(decoded, "utf8").toString("base64").replace(/=+$/, "") === value.replace(/=+$/, "") ? decoded : value;
}

/** A minimal line diff: removed lines as `-`, added lines as `+` (only the lines that differ). */
export function lineDiff(before: string, after: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  const inB = new Set(b);
  const inA = new Set(a);
  const removed = a.filter((l) => !inB.has(l)).map((l) => `- ${l}`);
  const added = b.filter((l) => !inA.has(l)).map((l) => `+ ${l}`);
  return [...removed, ...added].join("\n") || "(whitespace or line order only)";
}

/** Stacks of the head that read `output` of `stack` through a cross-stack remote state. */
function readersOf(outdir: string, stacks: readonly string[], stack: string, output: string): string[] {
  const remote = `cross-stack-reference-input-${stack}`;
  return stacks.filter((s) => {
    if (s === stack) return false;
    const text = readFileSync(join(outdir, "stacks", s, "cdk.tf.json"), "utf8");
    return text.includes(`data.terraform_remote_state.${remote}.outputs.${output}`);
  });
}

/** Whether the stacks `stack` reads from (its remote-state producers) are identical on both sides. */
function sameInputs(baseOutdir: string, headOutdir: string, stack: string): boolean {
  const text = readFileSync(join(headOutdir, "stacks", stack, "cdk.tf.json"), "utf8");
  const producers = [...text.matchAll(/cross-stack-reference-input-([A-Za-z0-9_-]+?)\.outputs/g)].map((m) => m[1]);
  return [...new Set(producers)].every((p) => {
    const b = join(baseOutdir, "stacks", p, "cdk.tf.json");
    const h = join(headOutdir, "stacks", p, "cdk.tf.json");
    return existsSync(b) && existsSync(h) && JSON.stringify(JSON.parse(readFileSync(b, "utf8")).output) === JSON.stringify(JSON.parse(readFileSync(h, "utf8")).output);
  });
}

function stacksOf(outdir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
  return Object.keys(manifest.stacks).sort();
}

/** A synthesized stack's resources, as `[address, body]`. */
function resourcesOfStack(outdir: string, stack: string): [string, { lifecycle?: { prevent_destroy?: boolean } }][] {
  const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as { resource?: Record<string, Record<string, { lifecycle?: { prevent_destroy?: boolean } }>> };
  return Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => [`${type}.${name}`, body] as [string, { lifecycle?: { prevent_destroy?: boolean } }]));
}

function resourceAddresses(outdir: string, stack: string): string[] {
  return resourcesOfStack(outdir, stack).map(([address]) => address).sort();
}

function removedResource(address: string): ResourceChange {
  const type = address.split(".")[0];
  return { address, type, action: "delete", attributes: [], forcedBy: [], notes: ["its stack is removed"], stateful: STATEFUL_TYPES[type] };
}

/** The review with the given addresses (`<stack>/<address>`) acknowledged: moved from blocking to accepted. */
export function acknowledge(review: Review, accept: readonly string[]): Review {
  const ok = (c: ResourceChange) => accept.includes(c.address) || accept.includes(c.address.split("/").slice(1).join("/"));
  return { ...review, blocking: review.blocking.filter((c) => !ok(c)), accepted: [...review.accepted, ...review.blocking.filter(ok)] };
}

/** Non-zero when a stateful resource would be replaced or destroyed without being acknowledged. */
export function exitCode(review: Review): number {
  return review.blocking.length > 0 ? 2 : 0;
}

/** The review as markdown, for a pull-request comment. */
export function renderMarkdown(review: Review, title = "Infrastructure review"): string {
  const changed = review.stacks.filter((s) => s.status !== "unchanged");
  return [
    `## ${title}`,
    "",
    ...statefulSection(review),
    ...summarySection(review),
    ...changed.flatMap(stackSection),
    ...(changed.length === 0 ? ["No stack changes.", ""] : []),
    "<sub>Re-planned offline against a state built from the base's plan: it can't see drift made outside Terraform, apply-time failures, or what AWS normalizes on read.</sub>",
    "",
  ].join("\n");
}

/** What happened to a resource, in a sentence. */
const PAST: Readonly<Record<ResourceChange["action"], string>> = {
  create: "created",
  update: "updated",
  replace: "replaced",
  delete: "destroyed",
  forget: "forgotten (left in AWS, no longer managed)",
  move: "moved",
};

/** The stateful resources replaced, destroyed or forgotten: blocking, then accepted. */
function statefulSection(review: Review): string[] {
  const lines: string[] = [];
  if (review.blocking.length > 0) {
    lines.push("### :warning: Stateful resources replaced, destroyed or forgotten", "");
    lines.push("These lose data or an identity others depend on, or leave it unmanaged. Acknowledge each with a `moved` block (a rename) or `--accept <stack>/<address>` (intended).", "");
    for (const c of review.blocking) lines.push(`- **${PAST[c.action]}** ${c.stateful} \`${c.address}\`${c.forcedBy.length ? ` (forced by \`${c.forcedBy.join("`, `")}\`)` : ""}${c.notes.length ? `: ${c.notes[0]}` : ""}`);
    lines.push("");
  }
  if (review.accepted.length > 0) {
    lines.push("### Accepted replacements of stateful resources", "");
    for (const c of review.accepted) lines.push(`- ${PAST[c.action]} ${c.stateful} \`${c.address}\` (accepted)`);
    lines.push("");
  }
  return lines;
}

/** One row per stack: its status and its counts of changes by action. */
function summarySection(review: Review): string[] {
  const count = (s: StackReview, a: ResourceChange["action"]) => s.changes.filter((c) => c.action === a).length;
  return [
    "### Summary",
    "",
    "| stack | status | add | update | replace | destroy | forget | move | outputs |",
    "|---|---|---|---|---|---|---|---|---|",
    ...review.stacks.map((s) => `| \`${s.stack}\` | ${s.status} | ${count(s, "create")} | ${count(s, "update")} | ${count(s, "replace")} | ${count(s, "delete")} | ${count(s, "forget")} | ${count(s, "move")} | ${s.outputs.length} |`),
    "",
  ];
}

/** A changed stack: why it is listed, its changes by action, and its outputs' ripples. */
function stackSection(s: StackReview): string[] {
  const lines: string[] = [`### \`${s.stack}\` (${s.status})`, ""];
  if (s.status === "added") lines.push("A new stack: everything in it is created.", "");
  if (s.status === "removed") lines.push(`The stack is gone from the synth. Its state still holds ${s.resources?.length ?? 0} resources: destroy them deliberately or move them to another stack.`, "");
  if (s.status === "skipped") lines.push(`Not re-planned: ${s.reason}.`, "");
  for (const [action, heading] of CHANGE_HEADINGS) {
    const items = s.changes.filter((c) => c.action === action);
    if (items.length === 0) continue;
    lines.push(`**${heading}**`, "", ...items.flatMap(changeLines), "");
  }
  if (s.outputs.length > 0) {
    lines.push("**Outputs**", "");
    for (const o of s.outputs) lines.push(`- \`${o.name}\` ${o.action}${o.readers.length ? `: ripples to ${o.readers.map((r) => `\`${r}\``).join(", ")} (re-plan them after applying this stack)` : ""}`);
    lines.push("");
  }
  return lines;
}

/** The order and headings of a stack's changes. */
const CHANGE_HEADINGS: readonly [ResourceChange["action"], string][] = [
  ["replace", "Replaced"],
  ["delete", "Destroyed"],
  ["forget", "Forgotten (left in AWS, no longer managed)"],
  ["update", "Updated in place"],
  ["create", "Added"],
  ["move", "Moved (no change)"],
];

/** One change: its address, what forced or changed it, and its notes (a multi-line note as a diff block). */
function changeLines(c: ResourceChange): string[] {
  const detail =
    c.action === "replace"
      ? ` (forced by \`${c.forcedBy.join("`, `") || "?"}\`)`
      : c.action === "update"
        ? `: ${c.attributes.map((a) => `\`${a}\``).join(", ")}`
        : c.action === "move"
          ? ` from \`${c.previousAddress}\``
          : "";
  const lines = [`- ${c.stateful ? `**${c.stateful}** ` : ""}\`${c.address}\`${detail}`];
  for (const note of c.notes) {
    if (note.includes("\n")) lines.push("", "  ```diff", ...note.split("\n").slice(1).map((l) => `  ${l}`), "  ```", "");
    else lines.push(`  - ${note}`);
  }
  return lines;
}
