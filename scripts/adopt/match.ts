import { Json } from "../replan/plan-json";
import { StateInstance, TerraformState } from "../replan/state";
import { IDENTITY, IdentityPart } from "./identity";

/**
 * Matches the resources of existing Terraform states to the resources of synthesized stacks
 * by identity (./identity.ts), in rounds: each round matches what can be identified from
 * literal values and from references to resources matched in earlier rounds.
 */

/** A resource instance of an existing state. */
export interface ExistingResource {
  /** The state file it comes from (as given). */
  readonly source: string;
  /** Its full address in that state, e.g. `module.networking.aws_subnet.public[0]`. */
  readonly address: string;
  /** Its address without the instance key, as `removed` blocks take it. */
  readonly resourceAddress: string;
  readonly type: string;
  readonly instance: StateInstance;
}

/** A resource of a synthesized stack. */
export interface ProjectResource {
  readonly stack: string;
  /** `<type>.<name>`, as in the stack's cdk.tf.json. */
  readonly address: string;
  readonly type: string;
  readonly block: Record<string, Json>;
}

export interface Match {
  readonly existing: ExistingResource;
  readonly project: ProjectResource;
  /** The identity both share, readable. */
  readonly identity: string;
}

export interface Unmatched<T> {
  readonly resource: T;
  /** Why: no identity rule for its type, its identity, or several candidates. */
  readonly reason: string;
}

export interface MatchResult {
  readonly matches: Match[];
  readonly unmatchedExisting: Unmatched<ExistingResource>[];
  readonly unmatchedProject: Unmatched<ProjectResource>[];
}

type StackJson = { resource?: Record<string, Record<string, Record<string, Json>>>; output?: Record<string, { value: Json }> };

/** The managed resource instances of a state file (format 4). */
export function existingResources(source: string, state: TerraformState): ExistingResource[] {
  return state.resources
    .filter((r) => r.mode === "managed")
    .flatMap((r) => {
      const base = `${r.module ? `${r.module}.` : ""}${r.type}.${r.name}`;
      return r.instances.map((instance) => ({
        source,
        address: instance.index_key === undefined ? base : `${base}[${JSON.stringify(instance.index_key)}]`,
        // A removed block takes no instance keys, of the resource or of its modules (`module.alb[0]`).
        resourceAddress: base.replace(/\[[^\]]*\]/g, ""),
        type: r.type,
        instance,
      }));
    });
}

/** The resources of synthesized stacks, from their cdk.tf.json. */
export function projectResources(stacks: Readonly<Record<string, StackJson>>): ProjectResource[] {
  return Object.entries(stacks).flatMap(([stack, json]) =>
    Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.entries(byName).map(([name, block]) => ({ stack, address: `${type}.${name}`, type, block }))),
  );
}

const SINGLE_REF = /^\$\{([^{}]+)\}$/;
const REMOTE = /^data\.terraform_remote_state\.cross-stack-reference-input-([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$/;
const RESOURCE_REF = /^(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)$/;

/** Matches `existing` to `project` by identity. */
export function matchResources(existing: readonly ExistingResource[], project: readonly ProjectResource[], stacks: Readonly<Record<string, StackJson>>): MatchResult {
  return new ResourceMatcher(existing, project, stacks).match();
}

const projectKey = (p: ProjectResource) => `${p.stack}/${p.address}`;
const existingKey = (e: ExistingResource) => `${e.source}#${e.address}`;

/**
 * One matching: the project's identities are fixed up front (they read the stacks only); an
 * existing resource's identity reads what its references were matched to so far, so matching
 * runs in rounds until one matches nothing new.
 */
class ResourceMatcher {
  /** Existing resources by `<source>#<id or ARN>`. */
  private readonly byId = new Map<string, ExistingResource>();
  /** The project resource each matched existing one went to, by existing key. */
  private readonly matchedTo = new Map<string, ProjectResource>();
  /** Project resources already matched, by project key. */
  private readonly taken = new Set<string>();
  /** Why an existing resource matched none: several candidates, by existing key. */
  private readonly ambiguous = new Map<string, string>();
  private readonly projectIdentity = new Map<string, string>();

  constructor(
    private readonly existing: readonly ExistingResource[],
    private readonly project: readonly ProjectResource[],
    private readonly stacks: Readonly<Record<string, StackJson>>,
  ) {
    for (const e of existing) {
      for (const k of ["id", "arn"]) {
        const v = e.instance.attributes[k];
        // Across state files: a root of one layer points at another's resources by their ids.
        if (typeof v === "string" && v !== "") this.byId.set(v, e);
      }
    }
    for (const p of project) {
      if (IDENTITY[p.type]) this.projectIdentity.set(projectKey(p), this.identityOfProject(p));
    }
  }

  public match(): MatchResult {
    const matches: Match[] = [];
    while (this.matchRound(matches));
    const unmatchedExisting = this.existing
      .filter((e) => !this.matchedTo.has(existingKey(e)))
      .map((e) => ({
        resource: e,
        reason: !IDENTITY[e.type] ? `no identity rule for ${e.type}` : this.ambiguous.get(existingKey(e)) ?? `no ${e.type} of the stacks has ${this.identityOfExisting(e).replace(/existing:[^#]+#/g, "existing ")}`,
      }));
    const unmatchedProject = this.project
      .filter((p) => !this.taken.has(projectKey(p)))
      .map((p) => ({ resource: p, reason: IDENTITY[p.type] ? `nothing existing has ${this.projectIdentity.get(projectKey(p))}` : `no identity rule for ${p.type}` }));
    return { matches: matches.sort((a, b) => projectKey(a.project).localeCompare(projectKey(b.project))), unmatchedExisting, unmatchedProject };
  }

  /** Matches every existing resource whose identity is now known and has exactly one candidate; whether any matched. */
  private matchRound(matches: Match[]): boolean {
    let progress = false;
    for (const e of this.existing) {
      if (this.matchedTo.has(existingKey(e)) || !IDENTITY[e.type]) continue;
      const identity = this.identityOfExisting(e);
      if (identity.includes("existing:")) continue;
      const candidates = this.project.filter((p) => p.type === e.type && !this.taken.has(projectKey(p)) && this.projectIdentity.get(projectKey(p)) === identity);
      if (candidates.length > 1) {
        this.ambiguous.set(existingKey(e), `${candidates.length} candidates: ${candidates.map(projectKey).join(", ")}`);
        continue;
      }
      if (candidates.length === 0) continue;
      const p = candidates[0];
      this.matchedTo.set(existingKey(e), p);
      this.taken.add(projectKey(p));
      matches.push({ existing: e, project: p, identity });
      progress = true;
    }
    return progress;
  }

  /** Project side: references resolve to the referenced resource, or to its literal attribute. */
  private resolveProject(stack: string, value: Json | undefined, depth = 0): Json {
    if (value === undefined || value === null) return null;
    if (Array.isArray(value)) return value.map((v) => this.resolveProject(stack, v, depth));
    if (typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolveProject(stack, v, depth)]));
    if (typeof value !== "string" || !value.includes("${")) return value;
    const ref = SINGLE_REF.exec(value)?.[1];
    if (!ref || depth > 5) return `expr:${value}`;
    const remote = REMOTE.exec(ref);
    if (remote) {
      const produced = this.stacks[remote[1]]?.output?.[remote[2]]?.value;
      return produced === undefined ? `expr:${value}` : this.resolveProject(remote[1], produced, depth + 1);
    }
    const resource = RESOURCE_REF.exec(ref);
    if (!resource) return `expr:${value}`;
    const block = this.stacks[stack]?.resource?.[resource[1]]?.[resource[2]];
    const attribute = block?.[resource[3]];
    if (attribute !== undefined && !["id", "arn"].includes(resource[3])) return this.resolveProject(stack, attribute, depth + 1);
    return `ref:${stack}/${resource[1]}.${resource[2]}`;
  }

  /** Existing side: an id or ARN of another existing resource resolves to what it was matched to. */
  private resolveExisting(e: ExistingResource, value: Json | undefined): Json {
    if (value === undefined || value === null) return null;
    if (Array.isArray(value)) return value.map((v) => this.resolveExisting(e, v));
    if (typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolveExisting(e, v)]));
    if (typeof value !== "string") return value;
    const target = this.byId.get(value);
    if (!target) return value;
    const p = this.matchedTo.get(existingKey(target));
    return p ? `ref:${projectKey(p)}` : `existing:${existingKey(target)}`;
  }

  private identityOfProject(p: ProjectResource): string {
    const self = `ref:${projectKey(p)}`;
    return identityOf(
      IDENTITY[p.type],
      (attr) => this.resolveProject(p.stack, p.block[attr]),
      (type, via, other) => this.project.filter((q) => q.type === type && this.resolveProject(q.stack, q.block[via]) === self).map((q) => this.resolveProject(q.stack, q.block[other])),
    );
  }

  private identityOfExisting(e: ExistingResource): string {
    const self = `existing:${existingKey(e)}`;
    const selfMatched = this.matchedTo.get(existingKey(e));
    return identityOf(
      IDENTITY[e.type],
      (attr) => this.resolveExisting(e, e.instance.attributes[attr]),
      (type, via, other) =>
        this.existing
          .filter((q) => q.type === type)
          .filter((q) => {
            const v = this.resolveExisting(q, q.instance.attributes[via]);
            return v === self || (selfMatched !== undefined && v === `ref:${projectKey(selfMatched)}`);
          })
          .map((q) => this.resolveExisting(q, q.instance.attributes[other])),
    );
  }
}

/** A value as a comparable string: empty and null alike, lists as sets, objects by sorted key. */
function canonical(v: Json): string {
  if (v === null || v === "") return "null";
  if (Array.isArray(v)) return `[${v.map(canonical).sort().join(",")}]`;
  if (typeof v === "object") return `{${Object.keys(v).sort().map((k) => `${k}:${canonical(v[k])}`).join(",")}}`;
  return JSON.stringify(String(v));
}

/** The identity of a resource: each part's canonical value, an attribute (`get`) or what refers to it (`reverse`). */
function identityOf(parts: readonly IdentityPart[], get: (attr: string) => Json, reverse: (type: string, via: string, other: string) => Json[]): string {
  return parts
    .map((part) => (typeof part === "string" ? `${part}=${canonical(get(part))}` : `${part.reverse.type}.${part.reverse.other}=${canonical(reverse(part.reverse.type, part.reverse.via, part.reverse.other))}`))
    .join(" ");
}
