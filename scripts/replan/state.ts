import { blockType, CtyType, ResourceSchema, resourceSchema, SchemaBlock, Schemas, writeOnlyAttributes } from "./schema";
import { standIn } from "./stand-ins";
import { ModuleReferences } from "./module-references";
import { ConfigExpression, ConfigExpressions, isExpression, Json, Mask, PlanJson, PlanResourceChange, PlanStateResource } from "./plan-json";

/**
 * Builds the Terraform state (format version 4) a stack would have right after its saved
 * plan was applied: every planned resource with its planned values, and every value known
 * only after apply filled in, first from the configuration's own expressions (so a subnet's
 * `vpc_id` equals the VPC's `id`, and an ARN in a policy equals the resource's ARN), then with
 * a typed, deterministic stand-in.
 */

export interface TerraformState {
  version: 4;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, { value: Json; type: Json; sensitive?: boolean }>;
  resources: StateResource[];
  check_results: null;
}

export interface StateResource {
  /** `module.<name>` for a resource inside a module call (hand-written configurations); absent at the root. */
  module?: string;
  mode: "managed" | "data";
  type: string;
  name: string;
  provider: string;
  instances: StateInstance[];
}

export interface StateInstance {
  index_key?: string | number;
  schema_version: number;
  attributes: Record<string, Json>;
  sensitive_attributes: unknown[];
  dependencies?: string[];
}

/** One value to fill: a top-level attribute of a resource (or an output) that was unknown in the plan. */
interface Target {
  /** `address` of the resource, or `output.<name>`. */
  readonly owner: string;
  readonly attribute: string;
  readonly expression?: Json;
}

/** Evaluates configuration expressions (JSON-syntax values, strings may hold `${...}` templates) against a state. */
export type ConsoleEvaluator = (state: TerraformState, expressions: readonly Json[]) => (Json | undefined)[];

export interface BuildOptions {
  /** Evaluates what the built-in evaluator can't (functions, locals): terraform console. */
  readonly evaluate?: ConsoleEvaluator;
  /** Region for stand-ins. @default "us-east-1" */
  readonly region?: string;
  /**
   * The configuration's locals (a stack's `locals` block), which the plan JSON lacks. With
   * them, a console value that reads a local is asked again only when what the local reads
   * changed; without them, whenever anything changed.
   */
  readonly locals?: Record<string, Json>;
}

/** The lineage of every state the re-plan builds: a fixed UUID-shaped string, so built states are deterministic. */
export const REPLAN_LINEAGE = "00000000-0000-4000-8000-00000000replan".slice(0, 36);

/** A state under construction, with what was filled and from where. */
export class StateBuilder {
  public readonly instances = new Map<string, { resource: StateResource; instance: StateInstance; unknown: Mask; dynamic: string[] }>();
  public readonly outputs: TerraformState["outputs"] = {};
  /** Top-level attributes (`<address>.<attribute>`, `output.<name>`) that were unknown in the plan. */
  public readonly filled = new Set<string>();
  private readonly targets: Target[] = [];
  private readonly references: ModuleReferences;
  private readonly indexedLists = new Set<string>();
  private readonly referenced = new Set<string>();

  constructor(
    private readonly plan: PlanJson,
    private readonly schemas: Schemas,
    private readonly options: BuildOptions = {},
  ) {
    this.collectIndexedLists();
    this.references = new ModuleReferences(plan.configuration?.root_module, (plan.resource_changes ?? []).map((rc) => rc.address));
    const configByAddress = this.references.resources();
    const changes = (plan.resource_changes ?? []).filter((rc) => rc.change.actions.includes("create") || rc.change.actions.includes("read"));
    const read = (plan.prior_state?.values?.root_module?.resources ?? []).filter((r) => r.mode === "data");
    for (const r of read) this.addInstance(r, r.values, undefined, r.sensitive_values, configByAddress.get(configAddress(r.address))?.provider_config_key);
    for (const rc of changes) {
      if (rc.mode === "data" && this.instances.has(rc.address)) continue;
      this.addInstance(rc, rc.change.after as Record<string, Json>, rc.change.after_unknown, rc.change.after_sensitive, configByAddress.get(configAddress(rc.address))?.provider_config_key);
      const expressions = configByAddress.get(configAddress(rc.address))?.expressions ?? {};
      for (const [attribute, mask] of Object.entries((rc.change.after_unknown ?? {}) as Record<string, Mask>)) {
        if (!hasTrue(mask)) continue;
        this.filled.add(`${rc.address}.${attribute}`);
        const expression = expressions[attribute];
        const target = isExpression(expression) ? this.expressionOf(expression, rc.address, attribute) : undefined;
        if (target !== undefined) this.targets.push({ owner: rc.address, attribute, expression: target });
        else if (Array.isArray(expression)) this.addBlockTargets(rc.address, attribute, (rc.change.after as Record<string, Json>)[attribute], mask, expression);
      }
    }
    this.addOutputs();
  }

  /** Fills every unknown: configuration expressions evaluated to a fixpoint, typed stand-ins for the rest. */
  public build(): TerraformState {
    const steps = this.evaluation();
    for (let step = steps.next(); !step.done; ) step = steps.next(this.options.evaluate?.(this.state(), step.value) ?? []);
    return this.state();
  }

  public state(): TerraformState {
    // Dynamically-typed attributes (a remote state's `config` and `outputs`) are stored with their type.
    const resources = new Map<string, StateResource>();
    for (const { resource, instance, dynamic } of this.instances.values()) {
      const key = `${resource.module ?? ""}/${resource.mode}.${resource.type}.${resource.name}`;
      const copy = resources.get(key) ?? { ...resource, instances: [] };
      const attributes = { ...instance.attributes };
      for (const name of dynamic) if (attributes[name] !== null) attributes[name] = { value: attributes[name], type: inferType(attributes[name]) };
      copy.instances.push({ ...instance, attributes });
      resources.set(key, copy);
    }
    return {
      version: 4,
      terraform_version: this.plan.terraform_version,
      serial: 1,
      lineage: REPLAN_LINEAGE,
      outputs: this.outputs,
      resources: [...resources.values()],
      check_results: null,
    };
  }

  /**
   * Takes, from a re-plan of the same configuration against this state, the planned values
   * of what was unknown in the first plan and is known now (values that hang on locals or on
   * data sources read at apply time). Values that were known in the first plan are never
   * touched: a difference there is a real perpetual diff. Returns how many values changed.
   */
  public adoptReplan(replan: PlanJson): number {
    let changed = 0;
    for (const rc of replan.resource_changes ?? []) {
      const entry = this.instances.get(rc.address);
      if (!entry || rc.change.actions.every((a) => a === "no-op" || a === "read")) continue;
      const after = (rc.change.after ?? {}) as Record<string, Json>;
      const unknownNow = (rc.change.after_unknown ?? {}) as Record<string, Mask>;
      for (const attribute of Object.keys(after)) {
        if (!this.filled.has(`${rc.address}.${attribute}`)) continue;
        const merged = mergeKnown(entry.instance.attributes[attribute], after[attribute], unknownNow[attribute]);
        if (JSON.stringify(merged) !== JSON.stringify(entry.instance.attributes[attribute])) {
          entry.instance.attributes[attribute] = merged;
          changed++;
        }
      }
    }
    for (const [name, change] of Object.entries(replan.output_changes ?? {})) {
      if (!this.filled.has(`output.${name}`) || change.actions.includes("no-op") || change.after_unknown === true) continue;
      if (this.outputs[name] && JSON.stringify(this.outputs[name].value) !== JSON.stringify(change.after)) {
        this.outputs[name] = { ...this.outputs[name], value: change.after, type: inferType(change.after) };
        changed++;
      }
    }
    return changed;
  }

  private addInstance(r: PlanStateResource | PlanResourceChange, values: Record<string, Json>, unknown: Mask, sensitive: Mask, providerKey: string | undefined): void {
    const schema = resourceSchema(this.schemas, r.provider_name, r.mode, r.type);
    if (!schema) throw new Error(`no provider schema for ${r.mode} ${r.type} of ${r.provider_name}`);
    const type = blockType(schema.block);
    const attributes = fillUnknown(values ?? {}, unknown, type, this.standInContext(r.address, r.type, "")) as Record<string, Json>;
    for (const name of writeOnlyAttributes(schema.block)) attributes[name] = null;
    complete(attributes, schema);
    if (isLegacySdkSchema(schema.block)) zeroNestedNulls(attributes, schema.block);
    const alias = providerKey?.includes(".") ? `.${providerKey.split(".")[1]}` : "";
    const key = `${r.module_address ?? ""}/${r.mode}.${r.type}.${r.name}`;
    const existing = [...this.instances.values()].find((e) => `${e.resource.module ?? ""}/${e.resource.mode}.${e.resource.type}.${e.resource.name}` === key);
    const resource: StateResource = existing?.resource ?? {
      ...(r.module_address ? { module: r.module_address } : {}),
      mode: r.mode,
      type: r.type,
      name: r.name,
      provider: `provider["${r.provider_name}"]${alias}`,
      instances: [],
    };
    const instance: StateInstance = {
      ...(r.index !== undefined ? { index_key: r.index } : {}),
      schema_version: schema.version ?? 0,
      attributes,
      sensitive_attributes: sensitivePaths(sensitive),
    };
    resource.instances.push(instance);
    const dynamic = Object.entries(schema.block.attributes ?? {})
      .filter(([, a]) => a.type === "dynamic")
      .map(([n]) => n);
    this.instances.set(r.address, { resource, instance, unknown, dynamic });
  }

  /**
   * What fills an unknown value at `attribute` of `owner`: its expression as the configuration
   * has it (a synthesized stack's JSON template), or, for a hand-written configuration's
   * references-only expression, the attribute it passes on (./module-references.ts).
   */
  private expressionOf(expression: ConfigExpression, owner: string, attribute: string): Json | undefined {
    if (expression.constant_value !== undefined) return expression.constant_value;
    const type = this.attributeType(`${owner}.${attribute}`);
    const list = Array.isArray(type) && (type[0] === "list" || type[0] === "set");
    return type === "string" || list ? this.references.template(expression, owner, list) : undefined;
  }

  private standInContext(address: string, resourceType: string, path: string) {
    return { address, resourceType, path, indexedLists: this.indexedLists, referenced: this.referenced, region: this.options.region ?? "us-east-1" };
  }

  /**
   * Nested blocks, at any depth, in list order: each element's unknown values with expressions
   * of their own that read something (`"${aws_kms_key.k.arn}"`, `["${aws_security_group.s.id}"]`).
   */
  private addBlockTargets(owner: string, path: string, after: Json | undefined, unknown: Mask, expressions: ConfigExpressions[]): void {
    if (!Array.isArray(after) || after.length !== expressions.length) return;
    expressions.forEach((element, i) => {
      const value = after[i] as Record<string, Json> | null;
      const mask = Array.isArray(unknown) ? unknown[i] : undefined;
      for (const [name, e] of Object.entries(element)) {
        const inner = mask && typeof mask === "object" && !Array.isArray(mask) ? mask[name] : undefined;
        if (!hasTrue(inner)) continue;
        const at = `${path}[${i}].${name}`;
        const target = isExpression(e) ? this.expressionOf(e, owner, at) : undefined;
        if (target !== undefined && JSON.stringify(target).includes("${")) this.targets.push({ owner, attribute: at, expression: target });
        else if (Array.isArray(e)) this.addBlockTargets(owner, at, value?.[name], inner, e);
      }
    });
  }

  private addOutputs(): void {
    const planned = this.plan.planned_values?.outputs ?? {};
    const config = this.plan.configuration?.root_module?.outputs ?? {};
    for (const [name, output] of Object.entries(planned)) {
      const sensitive = output.sensitive || config[name]?.sensitive === true;
      if (output.value !== undefined && output.type !== undefined) {
        this.outputs[name] = { value: output.value, type: output.type, ...(sensitive ? { sensitive: true } : {}) };
        continue;
      }
      this.filled.add(`output.${name}`);
      this.outputs[name] = { value: `output-${name}`, type: "string", ...(sensitive ? { sensitive: true } : {}) };
      const configured = config[name]?.expression;
      const expression = configured?.constant_value ?? (configured ? this.references.template(configured, "") : undefined);
      if (expression !== undefined) this.targets.push({ owner: `output.${name}`, attribute: "value", expression });
    }
  }

  /** References the configuration indexes (`x.y.attr[0].sub[0]`): those computed lists get one element. */
  private collectIndexedLists(): void {
    const text = JSON.stringify(this.plan.configuration ?? {});
    for (const m of text.matchAll(/((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)((?:\.[a-z0-9_]+(?:\[\d+\])*)+)/g)) {
      const address = m[1];
      let path = "";
      for (const step of m[2].matchAll(/\.([a-z0-9_]+)((?:\[\d+\])*)/g)) {
        path = path ? `${path}.${step[1]}` : step[1];
        this.referenced.add(`${address}:${path}`);
        if (step[2]) this.indexedLists.add(`${address}:${path}`);
      }
    }
  }

  /**
   * Built-in evaluation to a fixpoint, then terraform console for what it can't do (functions,
   * jsonencode, locals), again until nothing changes. After the first console call, a value is
   * asked again only if its expression reads an attribute that changed since (or reads its
   * resource whole): each call starts the providers (seconds), and an impure expression
   * (`uuid()`) would never settle.
   *
   * Each step yields the expressions to ask terraform console about, against {@link state},
   * and takes their values (undefined where unknown); {@link buildTogether} answers the steps
   * of many builders with one console call.
   */
  public *evaluation(): Generator<Json[], void, (Json | undefined)[]> {
    let changedSinceAsked: Set<string> | undefined;
    const assign = (t: Target, value: Json | undefined): boolean => {
      if (value === undefined || !this.assign(t, value)) return false;
      changedSinceAsked?.add(t.owner.startsWith("output.") ? t.owner : `${ownerAddress(t.owner)}.${String(parsePath(t.attribute)[0])}`);
      return true;
    };
    for (let round = 0; round < 3; round++) {
      let progress = true;
      for (let i = 0; progress && i < this.targets.length + 1; i++) {
        progress = false;
        for (const t of this.targets) if (assign(t, evaluateSimple(t.expression, (ref) => this.lookup(ref)))) progress = true;
      }
      const complex = this.targets.filter((t) => !this.isSettled(t));
      const changed = changedSinceAsked;
      const ask = changed === undefined ? complex : complex.filter((t) => this.readsAnyOf(t.expression, changed));
      if (ask.length === 0) break;
      changedSinceAsked = new Set();
      const values = yield ask.map((t) => t.expression ?? null);
      ask.forEach((t, i) => assign(t, values[i]));
      if (changedSinceAsked.size === 0) break;
    }
  }

  /**
   * Whether an expression reads (directly, or through the locals it reads) any of `changed`
   * (`<address>.<attribute>`, or `output.<name>`): that attribute, or its resource whole or by
   * instance (`aws_x.y[0]`, `aws_x.y}`), which may read any attribute.
   */
  private readsAnyOf(expression: Json | undefined, changed: ReadonlySet<string>): boolean {
    const text = this.withLocals(JSON.stringify(expression ?? null));
    if (text === undefined) return changed.size > 0;
    const follows = (prefix: string, nexts: readonly string[]) => nexts.some((next) => text.includes(`${prefix}${next}`));
    return [...changed].some((c) => {
      const address = c.startsWith("output.") ? c : c.slice(0, c.lastIndexOf("."));
      return follows(c, [".", "[", "}", " ", ",", ")"]) || follows(address, ["[", "}", " ", ",", ")"]);
    });
  }

  /** The expression's text with the text of every local it reads (transitively); undefined when the locals are unknown. */
  private withLocals(text: string): string | undefined {
    const seen = new Set<string>();
    let all = text;
    for (let pending = [text]; pending.length > 0; ) {
      const next: string[] = [];
      for (const chunk of pending) {
        for (const [, name] of chunk.matchAll(/\blocal\.([A-Za-z0-9_-]+)/g)) {
          if (seen.has(name)) continue;
          seen.add(name);
          if (!this.options.locals || !(name in this.options.locals)) return undefined;
          next.push(JSON.stringify(this.options.locals[name]));
        }
      }
      all += next.join("\n");
      pending = next;
    }
    return all;
  }

  private isSettled(t: Target): boolean {
    return evaluateSimple(t.expression, (ref) => this.lookup(ref)) !== undefined;
  }

  /** Sets a target's value; returns whether it changed. */
  private assign(t: Target, value: Json): boolean {
    if (t.owner.startsWith("output.")) {
      const name = t.owner.slice("output.".length);
      const before = JSON.stringify(this.outputs[name].value);
      if (before === JSON.stringify(value)) return false;
      this.outputs[name] = { ...this.outputs[name], value, type: this.outputType(t.expression, value) };
      return true;
    }
    const entry = this.instances.get(t.owner);
    if (!entry) return false;
    const steps = parsePath(t.attribute);
    let holder: Json = entry.instance.attributes;
    for (const step of steps.slice(0, -1)) holder = (holder as Record<string, Json>)?.[step as string] ?? null;
    if (holder === null || typeof holder !== "object") return false;
    const last = steps[steps.length - 1];
    const current = (holder as Record<string, Json>)[last as string];
    const coerced = coerceLike(value, current);
    if (JSON.stringify(current) === JSON.stringify(coerced)) return false;
    (holder as Record<string, Json>)[last as string] = coerced;
    return true;
  }

  /** An output's type: the schema type of the attribute it is, else inferred from its value. */
  private outputType(expression: Json | undefined, value: Json): Json {
    const single = typeof expression === "string" ? /^\$\{([^{}]+)\}$/.exec(expression) : null;
    if (single) {
      const type = this.attributeType(single[1]);
      if (type !== undefined) return type as Json;
    }
    return inferType(value);
  }

  private attributeType(ref: string): CtyType | undefined {
    const { entry, steps } = this.instanceOf(ref) ?? {};
    if (!entry || !steps) return undefined;
    const schema = resourceSchema(this.schemas, providerNameOf(entry.resource.provider), entry.resource.mode, entry.resource.type);
    if (!schema) return undefined;
    let type: unknown = blockType(schema.block);
    for (const step of steps) {
      if (!Array.isArray(type)) return undefined;
      const [kind, inner] = type as [string, unknown];
      if (kind === "object" && typeof step === "string") type = (inner as Record<string, unknown>)[step];
      else if ((kind === "list" || kind === "set" || kind === "map") && typeof step === "number") type = inner;
      else return undefined;
    }
    return type as CtyType;
  }

  /** The instance a reference reads (`aws_x.y.a`, or a counted one's `aws_x.y[1].a`), and the steps within it. */
  private instanceOf(ref: string): { entry: NonNullable<ReturnType<StateBuilder["instances"]["get"]>>; steps: (string | number)[] } | undefined {
    const split = splitReference(ref);
    if (!split) return undefined;
    const entry = this.instances.get(split.address);
    if (entry) return { entry, steps: split.steps };
    const [key, ...steps] = split.steps;
    const keyed = typeof key === "number" ? this.instances.get(`${split.address}[${key}]`) : undefined;
    return keyed ? { entry: keyed, steps } : undefined;
  }

  /** The value of a reference in the state built so far, or undefined when it can't be resolved here. */
  private lookup(ref: string): Json | undefined {
    if (ref === "terraform.workspace") return "default";
    const { entry, steps } = this.instanceOf(ref) ?? {};
    if (!entry || !steps) return undefined;
    let value: Json | undefined = entry.instance.attributes;
    for (const step of steps) {
      if (value === null || value === undefined || typeof value !== "object") return undefined;
      value = (value as Record<string, Json>)[step as string];
    }
    return value;
  }
}

/**
 * Builds several states at once (the stacks of one combined root): each round gathers what
 * every unfinished builder asks and answers it with one `evaluate` call, so many stacks cost
 * one terraform console per round rather than one each.
 */
export function buildTogether<K>(builders: ReadonlyMap<K, StateBuilder>, evaluate: (asks: ReadonlyMap<K, Json[]>) => ReadonlyMap<K, (Json | undefined)[]>): void {
  const running = new Map([...builders].map(([key, builder]) => [key, builder.evaluation()]));
  let asks = new Map<K, Json[]>();
  const advance = (key: K, answers?: (Json | undefined)[]) => {
    const step = running.get(key)!.next(answers ?? []);
    if (!step.done) asks.set(key, step.value);
  };
  for (const key of running.keys()) advance(key);
  while (asks.size > 0) {
    const answers = evaluate(asks);
    const asked = [...asks.keys()];
    asks = new Map();
    for (const key of asked) advance(key, answers.get(key));
  }
}

/** Evaluates a JSON-syntax value whose strings are literals, `${ref}` or templates of references; undefined otherwise. */
export function evaluateSimple(expression: Json | undefined, lookup: (ref: string) => Json | undefined): Json | undefined {
  if (expression === undefined) return undefined;
  if (typeof expression === "string") {
    if (!expression.includes("${") && !expression.includes("%{")) return expression;
    const single = /^\$\{\s*([A-Za-z0-9_.\-[\]"]+)\s*\}$/.exec(expression);
    if (single) return lookup(single[1]);
    let failed = false;
    // `$${` is a literal `${`; anything else in `${...}` must be a plain reference.
    const replaced = expression.replace(/(\$?)\$\{\s*([^{}]*?)\s*\}/g, (whole: string, escape: string, ref: string) => {
      if (escape) return whole.slice(1);
      if (!/^[A-Za-z0-9_.\-[\]]+$/.test(ref)) {
        failed = true;
        return "";
      }
      const value = lookup(ref);
      if (value === undefined || value === null || typeof value === "object") {
        failed = true;
        return "";
      }
      return String(value);
    });
    // An interpolation the pattern could not take whole (nested braces: a function call) stays for terraform console.
    const rest = expression.replace(/\$\$\{/g, "").replace(/\$\{\s*[^{}]*?\s*\}/g, "");
    return failed || rest.includes("${") || rest.includes("%{") ? undefined : replaced;
  }
  if (Array.isArray(expression)) {
    const items = expression.map((e) => evaluateSimple(e, lookup));
    return items.some((i) => i === undefined) ? undefined : (items as Json[]);
  }
  if (expression !== null && typeof expression === "object") {
    const entries = Object.entries(expression).map(([k, v]) => [k, evaluateSimple(v, lookup)] as const);
    return entries.some(([, v]) => v === undefined) ? undefined : (Object.fromEntries(entries) as { [key: string]: Json });
  }
  return expression;
}

/** `aws_vpc.network_vpc.id`, `data.x.y.attr[0].z` -> the instance address and the steps inside it. */
function splitReference(ref: string): { address: string; steps: (string | number)[] } | undefined {
  const m = /^((?:module\.[A-Za-z0-9_-]+\.)*(?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_-]+|\[\d+\]|\["[^"]*"\])*)$/.exec(ref);
  if (!m) return undefined;
  return { address: m[1], steps: parsePath(m[2]) };
}

/** `.a[0].b["k"]` or `a[0].b` -> ["a", 0, "b", "k"]. */
function parsePath(path: string): (string | number)[] {
  return [...path.matchAll(/\.?([A-Za-z0-9_-]+)|\[(\d+)\]|\["([^"]*)"\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[3] !== undefined ? m[3] : m[1]));
}

/** Fills the unknown parts of a planned value with typed stand-ins. */
function fillUnknown(value: Json | undefined, unknown: Mask, type: unknown, ctx: Parameters<typeof standIn>[1]): Json {
  if (unknown === true) return standIn(type, ctx);
  if (unknown === undefined || unknown === false) return value ?? null;
  if (Array.isArray(unknown)) {
    const items = Array.isArray(value) ? value : [];
    const inner = Array.isArray(type) ? (type as [string, unknown])[1] : undefined;
    return items.map((v, i) => fillUnknown(v, unknown[i], inner, ctx));
  }
  const obj = (value && typeof value === "object" && !Array.isArray(value) ? value : {}) as Record<string, Json>;
  const attrs = Array.isArray(type) && type[0] === "object" ? (type[1] as Record<string, unknown>) : undefined;
  const mapInner = Array.isArray(type) && type[0] === "map" ? type[1] : undefined;
  const out: Record<string, Json> = { ...obj };
  for (const [k, m] of Object.entries(unknown)) {
    out[k] = fillUnknown(obj[k], m, attrs ? attrs[k] : mapInner, { ...ctx, path: ctx.path ? `${ctx.path}.${k}` : k });
  }
  return out;
}

/** Every attribute of the schema present (null when absent): the shape terraform itself writes. */
function complete(attributes: Record<string, Json>, schema: ResourceSchema): void {
  for (const name of Object.keys(schema.block.attributes ?? {})) if (!(name in attributes)) attributes[name] = null;
  for (const [name, nested] of Object.entries(schema.block.block_types ?? {})) {
    if (!(name in attributes)) attributes[name] = nested.nesting_mode === "single" || nested.nesting_mode === "group" ? null : [];
  }
}

/**
 * Whether a resource type is served by the provider's legacy SDK (terraform-plugin-sdk v2):
 * that SDK adds an `id` attribute that is both optional and computed to every resource; the
 * plugin framework declares its own, computed only.
 */
function isLegacySdkSchema(block: SchemaBlock): boolean {
  const id = block.attributes?.id;
  return id?.optional === true && id.computed === true;
}

/**
 * What the legacy SDK stores after apply for an unset attribute inside a nested block: its
 * zero value (`""`, `0`, `false`, `[]`), not null. Planned from an empty state the attribute
 * is null, and a re-plan against a state that kept the null plans an update to the zero value.
 */
function zeroNestedNulls(values: Record<string, Json>, block: SchemaBlock): void {
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const value = values[name];
    const elements = Array.isArray(value) ? value : value && typeof value === "object" ? [value] : [];
    for (const element of elements) {
      if (!element || typeof element !== "object" || Array.isArray(element)) continue;
      for (const [attribute, schema] of Object.entries(nested.block.attributes ?? {})) {
        if (element[attribute] === null && schema.type !== undefined) element[attribute] = zeroOf(schema.type);
      }
      zeroNestedNulls(element, nested.block);
    }
  }
}

function zeroOf(type: CtyType): Json {
  if (type === "string") return "";
  if (type === "number") return 0;
  if (type === "bool") return false;
  return Array.isArray(type) && (type[0] === "list" || type[0] === "set") ? [] : null;
}

/** after_sensitive -> state `sensitive_attributes` (paths of get_attr / index steps). */
function sensitivePaths(mask: Mask, prefix: unknown[] = []): unknown[] {
  if (mask === true) return prefix.length > 0 ? [prefix] : [];
  if (!mask) return [];
  if (Array.isArray(mask)) return mask.flatMap((m, i) => sensitivePaths(m, [...prefix, { type: "index", value: { value: i, type: "number" } }]));
  return Object.entries(mask).flatMap(([k, m]) => sensitivePaths(m, [...prefix, { type: "get_attr", value: k }]));
}

function hasTrue(mask: Mask): boolean {
  if (mask === true) return true;
  if (!mask) return false;
  return Object.values(mask as Record<string, Mask>).some(hasTrue);
}

/** A re-planned value merged into ours: theirs where known, ours where still unknown. */
function mergeKnown(ours: Json, theirs: Json, unknown: Mask): Json {
  if (unknown === true) return ours;
  if (!unknown || typeof unknown !== "object") return theirs;
  if (Array.isArray(theirs)) return theirs.map((t, i) => mergeKnown(Array.isArray(ours) ? ours[i] : null, t, (unknown as Mask[])[i]));
  if (theirs && typeof theirs === "object") {
    const o = (ours && typeof ours === "object" && !Array.isArray(ours) ? ours : {}) as Record<string, Json>;
    return Object.fromEntries(Object.entries(theirs).map(([k, v]) => [k, mergeKnown(o[k] ?? null, v, (unknown as Record<string, Mask>)[k])]));
  }
  return theirs;
}

/** Coerces an evaluated value to the current value's primitive type (a number attribute from a template). */
function coerceLike(value: Json, current: Json | undefined): Json {
  if (typeof current === "number" && typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
  if (typeof current === "boolean" && (value === "true" || value === "false")) return value === "true";
  if (typeof current === "string" && (typeof value === "number" || typeof value === "boolean")) return String(value);
  return value;
}

/** The cty type terraform gives a value built from literals: tuples and objects. */
export function inferType(value: Json): Json {
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "bool";
  if (value === null) return "dynamic";
  if (Array.isArray(value)) return ["tuple", value.map(inferType)];
  return ["object", Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inferType(v)]))];
}

/** `aws_x.y[0]` -> `aws_x.y` (the configuration lists resources without instance keys). */
function configAddress(address: string): string {
  return address.replace(/\[[^\]]*\]$/, "");
}

function providerNameOf(provider: string): string {
  return /provider\["([^"]+)"\]/.exec(provider)?.[1] ?? provider;
}

export type { ConfigExpression };

/** The resource address an owner's expressions use: `aws_x.y["k"]` -> `aws_x.y`; outputs stay as they are. */
function ownerAddress(owner: string): string {
  const bracket = owner.indexOf("[");
  return bracket === -1 ? owner : owner.slice(0, bracket);
}
