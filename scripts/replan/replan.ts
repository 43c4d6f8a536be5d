import { existsSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { TerraformWorkdir } from "../../__tests__/harness/terraform";
import { Json, PlanJson } from "./plan-json";
import { providerSchemas, Schemas } from "./schema";
import { planOfModule, SharedProviders, stateOfModules, STACKS_DIR, verdictOfModule } from "./modules";
import { buildTogether, ConsoleEvaluator, StateBuilder, TerraformState } from "./state";

/**
 * Runs the mechanism in a harness workdir (a temporary copy of one synthesized stack, with
 * the offline override file and `terraform init` done): read the saved plan, build the
 * deployed state from it, and re-plan against that state with `-refresh=false`.
 */

export const PLAN_FILE = "tfplan";
const STATE_FILE = "terraform.tfstate";
const EVAL_FILE = "zz_replan_eval.tf.json";

/** `terraform show -json` of a saved plan in the workdir. */
export function showPlan(workdir: TerraformWorkdir, planFile = PLAN_FILE): PlanJson {
  return JSON.parse(workdir.must(["show", "-json", planFile]).stdout) as PlanJson;
}

/** The provider schemas of the workdir's providers (cached once per provider versions). */
export function schemasOf(workdir: TerraformWorkdir, plan?: PlanJson): Schemas {
  const lock = readFileSync(join(workdir.dir, ".terraform.lock.hcl"), "utf8");
  const prior = plan?.prior_state?.values?.root_module;
  const needed = [...(plan?.resource_changes ?? []), ...(prior?.resources ?? []), ...(prior?.child_modules ?? []).flatMap((m) => m.resources ?? [])].map((r) => r.provider_name);
  return providerSchemas(lock, () => workdir.must(["providers", "schema", "-json"]).stdout, [...new Set(needed)]);
}

/**
 * Evaluates configuration expressions with `terraform console` against a state: the JSON
 * values go into a temporary locals file (so strings are templates exactly as in the stack),
 * and each is printed as base64 of its JSON encoding. A value that can't be evaluated (still
 * unknown, an error) comes back undefined.
 */
export function consoleEvaluator(workdir: TerraformWorkdir): ConsoleEvaluator {
  return (state: TerraformState, expressions: readonly Json[]) => {
    writeState(workdir, state);
    writeFileSync(join(workdir.dir, EVAL_FILE), JSON.stringify({ locals: { ...evalLocals(expressions), replan_answers: answers(expressions, "") } }));
    try {
      const values = askConsole(workdir, "local.replan_answers");
      return expressions.map((_, i) => values.get(`${i}`));
    } finally {
      rmSync(join(workdir.dir, EVAL_FILE), { force: true });
    }
  };
}

/**
 * The same for the stacks of a combined root (./modules.ts), all in one console call: each
 * stack's expressions go into its module as locals, with an output of their answers, and the
 * console reads every stack's output against the merged state of `builders`.
 */
export function modulesConsoleEvaluator(workdir: TerraformWorkdir, builders: ReadonlyMap<string, StateBuilder>, terraformVersion: string, shared?: SharedProviders) {
  return (asks: ReadonlyMap<string, Json[]>): Map<string, (Json | undefined)[]> => {
    writeMergedState(workdir, builders, terraformVersion, shared);
    const stacks = [...asks.keys()];
    const files = stacks.map((stack) => join(workdir.dir, STACKS_DIR, stack, EVAL_FILE));
    stacks.forEach((stack, s) => {
      const expressions = asks.get(stack)!;
      writeFileSync(files[s], JSON.stringify({ locals: evalLocals(expressions), output: { replan_answers: { value: answers(expressions, `${s}-`) } } }));
    });
    try {
      const values = askConsole(workdir, `"${stacks.map((stack) => `\${module.${stack}.replan_answers}`).join(" ")}"`);
      return new Map(stacks.map((stack, s) => [stack, asks.get(stack)!.map((_, i) => values.get(`${s}-${i}`))]));
    } finally {
      for (const file of files) rmSync(file, { force: true });
    }
  };
}

function evalLocals(expressions: readonly Json[]): Record<string, Json> {
  return Object.fromEntries(expressions.map((e, i) => [`replan_eval_${i}`, e]));
}

/**
 * One template of every expression's answer, `replan-<tag>:<base64 of its JSON, or "unknown">`,
 * tagged `<prefix><index>`: warnings or errors in the console's output can't shift them.
 */
function answers(expressions: readonly Json[], prefix: string): string {
  return expressions
    .map((_, i) => {
      const ref = `local.replan_eval_${i}`;
      return `replan-${prefix}${i}:\${try(base64encode(jsonencode(nonsensitive(${ref}))), base64encode(jsonencode(${ref})), "unknown")}`;
    })
    .join(" ");
}

/**
 * Prints `expression` (the answers, see {@link answers}) with one `terraform console` and returns
 * the decoded values by tag. The configuration holds the answers and the console input is one
 * short line, whatever the number of expressions: with its input piped, terraform console
 * prints only the last line's result.
 */
function askConsole(workdir: TerraformWorkdir, expression: string): Map<string, Json | undefined> {
  const out = workdir.run(["console"], {}, `${expression}\n`);
  return new Map(
    [...out.stdout.matchAll(/replan-([0-9-]+):([A-Za-z0-9+/=]+)/g)].map(([, tag, b64]) => [tag, b64 === "unknown" ? undefined : (JSON.parse(Buffer.from(b64, "base64").toString("utf8")) as Json)]),
  );
}

export function writeState(workdir: TerraformWorkdir, state: TerraformState): void {
  writeFileSync(join(workdir.dir, STATE_FILE), JSON.stringify(state, null, 1));
}

/** The combined root's state: every stack's state so far, merged (./modules.ts). */
function writeMergedState(workdir: TerraformWorkdir, builders: ReadonlyMap<string, StateBuilder>, terraformVersion: string, shared?: SharedProviders): void {
  writeState(workdir, stateOfModules(new Map([...builders].map(([stack, b]) => [stack, b.state()])), terraformVersion, shared));
}

/** What a plan would do, read from terraform's machine-readable output (never from its exit code). */
export interface PlanVerdict {
  /** `<action> <address>` per planned change: create, update, replace, delete, move, read... */
  readonly changes: string[];
  /** `<action> output.<name>` per output that changes. */
  readonly outputChanges: string[];
  readonly noChanges: boolean;
}

/** `terraform plan -refresh=false` against the state in the workdir; saves the plan as `planFile`. */
export function replan(workdir: TerraformWorkdir, planFile = "replan.tfplan", targets: readonly string[] = []): PlanVerdict {
  const out = workdir.must(["plan", "-refresh=false", "-input=false", "-lock=false", "-json", `-out=${planFile}`, ...targets.map((t) => `-target=${t}`)]);
  return verdictOf(out.stdout);
}

/** Classifies `terraform plan -json` messages. */
export function verdictOf(stdout: string): PlanVerdict {
  const changes: string[] = [];
  const outputChanges: string[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const msg = JSON.parse(line) as {
      type: string;
      change?: { action: string; resource: { addr: string } };
      outputs?: Record<string, { action: string }>;
    };
    if (msg.type === "planned_change" && msg.change && msg.change.action !== "noop") changes.push(`${msg.change.action} ${msg.change.resource.addr}`);
    if (msg.type === "outputs") {
      for (const [name, o] of Object.entries(msg.outputs ?? {})) if (o.action !== "noop") outputChanges.push(`${o.action} output.${name}`);
    }
  }
  return { changes: changes.sort(), outputChanges: outputChanges.sort(), noChanges: changes.length === 0 && outputChanges.length === 0 };
}

export interface DeployedState {
  readonly builder: StateBuilder;
  readonly state: TerraformState;
}

/**
 * Builds the deployed state of the workdir's saved plan and writes it as the workdir's local
 * state. With `settle`, re-plans up to `rounds` times, each time taking the planned values of
 * what the first plan left unknown and that only a re-plan knows (locals, data sources read
 * at apply); returns the last verdict.
 */
export function buildDeployedState(workdir: TerraformWorkdir, options: { planFile?: string; region?: string } = {}): DeployedState {
  const plan = showPlan(workdir, options.planFile ?? PLAN_FILE);
  const builder = new StateBuilder(plan, schemasOf(workdir, plan), { evaluate: consoleEvaluator(workdir), region: options.region, locals: localsOf(workdir.dir) });
  const state = builder.build();
  writeState(workdir, state);
  return { builder, state };
}

/** The locals of a synthesized stack (its `cdk.tf.json` in `dir`); undefined for a hand-written configuration. */
function localsOf(dir: string): Record<string, Json> | undefined {
  const file = join(dir, "cdk.tf.json");
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, "utf8")) as { locals?: Record<string, Json> }).locals ?? {};
}

/** Re-plans against the built state, settling what only a re-plan knows; at most `rounds` extra rounds. */
export function replanSettled(workdir: TerraformWorkdir, deployed: DeployedState, rounds = 2): PlanVerdict & { rounds: number } {
  let verdict = replan(workdir);
  let round = 0;
  while (!verdict.noChanges && round < rounds) {
    const adopted = deployed.builder.adoptReplan(showPlan(workdir, "replan.tfplan"));
    if (adopted === 0) break;
    writeState(workdir, deployed.builder.state());
    verdict = replan(workdir);
    round++;
  }
  return { ...verdict, rounds: round };
}

/**
 * Idempotency for every stack of a combined root (./modules.ts) at once: the root's saved plan
 * split per stack, each stack's deployed state built (one console call per round for all),
 * merged, and re-planned. A stack that still changes is settled like {@link replanSettled},
 * re-planning only the stacks that changed (`-target=module.<stack>`). `shared`: the
 * providers the root passes to the stacks (./modules.ts).
 */
export function idempotencyOfModules(
  workdir: TerraformWorkdir,
  stacks: readonly string[],
  regionOf: (stack: string) => string | undefined,
  shared?: SharedProviders,
): Map<string, PlanVerdict & { rounds: number }> {
  return deployModules(workdir, stacks, regionOf, shared).verdicts;
}

/**
 * The deployed state of each stack of a combined root whose plan is saved (`tfplan`), each as
 * the stack alone would have it, settled as {@link idempotencyOfModules} says; and the
 * verdict of the last re-plan, per stack.
 */
export function deployModules(
  workdir: TerraformWorkdir,
  stacks: readonly string[],
  regionOf: (stack: string) => string | undefined,
  shared?: SharedProviders,
  rounds = 2,
): { verdicts: Map<string, PlanVerdict & { rounds: number }>; states: Map<string, TerraformState> } {
  if (!existsSync(join(workdir.dir, PLAN_FILE))) throw new Error(`${workdir.stackName}: no saved plan ${PLAN_FILE}; run the plan first`);
  const plan = showPlan(workdir);
  const keysOf = (stack: string) => shared?.keys.get(stack);
  const plans = new Map(stacks.map((stack) => [stack, planOfModule(plan, stack, keysOf(stack))]));
  const schemas = schemasOf(workdir, plan);
  const builders = new Map(stacks.map((stack) => [stack, new StateBuilder(plans.get(stack)!, schemas, { region: regionOf(stack), locals: localsOf(join(workdir.dir, STACKS_DIR, stack)) })]));
  buildTogether(builders, modulesConsoleEvaluator(workdir, builders, plan.terraform_version, shared));
  const writeMerged = () => writeMergedState(workdir, builders, plan.terraform_version, shared);
  writeMerged();

  let root = replan(workdir);
  const verdicts = new Map(stacks.map((stack) => [stack, { ...verdictOfModule(root, stack), rounds: 0 }]));
  for (let round = 1; round <= rounds; round++) {
    const changing = stacks.filter((stack) => !verdicts.get(stack)!.noChanges);
    if (changing.length === 0) break;
    const replanned = showPlan(workdir, "replan.tfplan");
    const adopting = changing.filter((stack) => builders.get(stack)!.adoptReplan(planOfModule(replanned, stack, keysOf(stack))) > 0);
    if (adopting.length === 0) break;
    writeMerged();
    root = replan(workdir, "replan.tfplan", adopting.map((stack) => `module.${stack}`));
    for (const stack of adopting) verdicts.set(stack, { ...verdictOfModule(root, stack), rounds: round });
  }
  return { verdicts, states: new Map([...builders].map(([stack, builder]) => [stack, builder.state()])) };
}
