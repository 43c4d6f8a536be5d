import { z } from "zod";
import { ModuleCheckContext, ModuleDefinition } from "../constructs/module";
import { Problems, section } from "../lib/errors";
import { networkModule } from "../constructs/networking/module";
import { storageModule } from "../constructs/storage/module";
import { registryModule } from "../constructs/registry/module";
import { secretsModule } from "../constructs/secrets/module";
import { rdsModule } from "../constructs/rds/module";
import { redisModule } from "../constructs/elasticache/module";
import { auditModule } from "../constructs/audit/module";
import { stateBackendModule } from "../constructs/state-backend/module";
import { computeModule } from "../constructs/asg/module";
import { edgeModule } from "../constructs/edge/module";
import { eksModule } from "../constructs/eks/module";
import { workloadsModule } from "../constructs/k8s-workloads/module";
import { wafModule } from "../constructs/waf/module";

/**
 * Every module of a system, one line each, in the order of the system's configuration (and of
 * the settings reference). A module of your own is its folder and one line here
 * (docs/extending.md).
 */
export const MODULES = [
  networkModule,
  storageModule,
  registryModule,
  secretsModule,
  rdsModule,
  redisModule,
  auditModule,
  stateBackendModule,
  computeModule,
  edgeModule,
  eksModule,
  workloadsModule,
  wafModule,
] as const;

/** A module of any key and settings. */
export type AnyModule = ModuleDefinition<string, z.ZodType>;

/** The schema shape `modules` give a system's configuration: each module's settings under its key. */
export type ModulesShape<M extends readonly AnyModule[]> = { [D in M[number] as D["key"]]: D["settings"] };

/** Each module's settings schema under its key, for the system's schema beside its own keys (`reserved`). */
export function modulesShape<const M extends readonly AnyModule[]>(modules: M, reserved: readonly string[] = []): ModulesShape<M> {
  const keys = modules.map((m) => m.key);
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice) throw new Error(`MODULES: two modules have the key "${twice}"; give each module a key of its own`);
  const taken = keys.find((k) => reserved.includes(k));
  if (taken) throw new Error(`MODULES: a module has the key "${taken}", which is a setting of every system (${reserved.join(", ")}); give the module another key`);
  return Object.fromEntries(modules.map((m) => [m.key, m.settings])) as ModulesShape<M>;
}

/** The modules of `modules` whose settings `config` (a system's configuration) sets, with their settings, in order. */
export function modulesSetIn(config: object, modules: readonly AnyModule[] = MODULES): { module: AnyModule; settings: NonNullable<unknown> }[] {
  const settingsOf = config as Readonly<Record<string, unknown>>;
  return modules.flatMap((module) => {
    const settings = settingsOf[module.key];
    return settings === undefined || settings === null ? [] : [{ module, settings }];
  });
}

/**
 * Runs the checks of each module whose settings are set, under the module's key, into
 * `problems`: every module is checked even when another fails.
 */
export function checkModules(config: object, context: ModuleCheckContext, problems: Problems, modules: readonly AnyModule[] = MODULES): void {
  for (const { module, settings } of modulesSetIn(config, modules)) {
    if (module.check) problems.check(() => section(module.key, () => module.check!(settings, context)));
  }
}
