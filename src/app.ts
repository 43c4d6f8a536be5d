import { Construct } from "constructs";
import { Annotations, TerraformStack } from "cdktf";
import { checkAwsRules } from "./config/aws-rules";
import { checkUniqueNames } from "./config/unique-names";
import { sharedBucketRegionProblems } from "./config/backend-config";
import { EnvironmentName, environmentDefaults, isEnvironmentName } from "./config/environments";
import { ConfigError, ConfigErrors } from "./lib/errors";
import { Overrides, overrideLayers, readOverrides } from "./config/overrides";
import { ResolvedSystemConfig, resolveAndCheck } from "./config/resolve";
import { SystemConfig } from "./config/system-config";
import { Selection } from "./config/selection";
import { Naming } from "./lib/naming";
import { AnyModule, MODULES } from "./config/modules";
import { applyAdoptedValues } from "./stacks/adopted-values";
import { descriptionProblems } from "./stacks/resource-descriptions";
import { bucketNameWarnings, resourceNameProblems } from "./stacks/resource-names";
import { StackContext } from "./stacks/aws-stack";
import { StateStack } from "./stacks/state-stack";
import { SYSTEMS, SystemDefinition } from "./systems";

/** One system in one environment, with its validated configuration. */
export interface PlannedSystem {
  readonly definition: SystemDefinition;
  readonly config: ResolvedSystemConfig;
  /** What AWS's rules warn about (a version near the end of its support), printed by synth. */
  readonly warnings: readonly string[];
  /** The modules it was planned with (PlanOptions.modules). */
  readonly modules: readonly AnyModule[];
}

/** How planning runs. */
export interface PlanOptions {
  /** The day AWS's support calendars are read on. @default the current date; tests pass a fixed day */
  readonly today?: Date;
  /** The systems that may be selected, by name. @default the built-in ones (src/systems/index.ts) */
  readonly systems?: Readonly<Record<string, SystemDefinition>>;
  /** The modules a system's configuration is made of. @default MODULES (src/config/modules.ts) */
  readonly modules?: readonly AnyModule[];
}

/**
 * Resolves and validates the configuration of every selected system and environment.
 * Nothing is built until all of them are valid; every problem found is reported at once.
 */
export function planSystems(selection: Selection, overrides?: Overrides, options: PlanOptions = {}): PlannedSystem[] {
  const today = options.today ?? new Date();
  const systems = options.systems ?? SYSTEMS;
  const modules = options.modules ?? MODULES;
  const layers = overrides ?? (selection.configFile ? readOverrides(selection.configFile, Object.keys(systems)) : {});
  const planned: PlannedSystem[] = [];
  const errors: ConfigError[] = [];
  for (const name of selection.systems) {
    const definition = systems[name];
    if (!definition) throw new ConfigErrors([new ConfigError("systems", name, "is not a known system", `use one of ${Object.keys(systems).join(", ")}`)]);
    for (const environment of selection.environments) {
      try {
        if (!isEnvironmentName(environment)) environmentDefaults(environment, "INFRA_ENVIRONMENTS"); // throws, naming the fix
        const preset = definition.preset(environment as EnvironmentName);
        const fromEnv = selection.backend ? [{ backend: selection.backend }] : [];
        // AWS's rules run with the configuration's own checks, so their problems come in the same round.
        let warnings: string[] = [];
        const rules = (c: SystemConfig) => {
          const found = checkAwsRules(c, { today });
          warnings = found.warnings;
          return found.errors;
        };
        const config = resolveAndCheck(environment, [preset, ...overrideLayers(layers, name, environment), ...fromEnv], rules, modules);
        planned.push({ definition, config, warnings, modules });
      } catch (e) {
        if (e instanceof ConfigErrors) errors.push(...e.errors);
        else if (e instanceof ConfigError) errors.push(e.inScope(`${name}/${environment}`));
        else throw e;
      }
    }
  }
  // Names AWS holds unique, and shared state buckets' regions, across every planned environment and system.
  errors.push(...checkUniqueNames(planned.map((p) => p.config), modules), ...sharedBucketRegionProblems(planned.map((p) => p.config)));
  if (errors.length > 0) throw new ConfigErrors(errors);
  return planned;
}

/**
 * Builds the stacks of every planned system into `scope` (an App): the state stack first
 * where `stateBackend.enabled`, then the system's own stacks. Fails when two resources would
 * take one name AWS holds unique (resourceNameProblems), or when a description holds characters AWS
 * refuses there (descriptionProblems): every such problem at once.
 */
export function buildSystems(scope: Construct, planned: readonly PlannedSystem[]): TerraformStack[] {
  const stacks = planned.flatMap((system) => {
    const { definition, config, warnings } = system;
    const context = stackContextOf(system);
    const state = config.stateBackend.enabled ? [new StateStack(scope, context)] : [];
    const stacks = [...state, ...definition.build(scope, context)];
    applyAdoptedValues(stacks, context.naming.prefix, config.adopted);
    const all = [...warnings, ...bucketNameWarnings(config.accountId, stacks)];
    if (stacks[0]) all.forEach((w) => Annotations.of(stacks[0]).addWarning(`${config.project}/${config.environment}: ${w}`));
    return stacks;
  });
  const problems = [...resourceNameProblems(stacks), ...descriptionProblems(stacks)];
  if (problems.length > 0) throw new ConfigErrors(problems);
  return stacks;
}

/** What the stacks of a planned system are built from: its configuration, its names and its modules. */
export function stackContextOf({ config, modules }: Pick<PlannedSystem, "config" | "modules">): StackContext {
  return { config, naming: new Naming(config.project, config.environment, config.accountId), modules };
}
