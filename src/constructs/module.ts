import { Construct } from "constructs";
import { z } from "zod";
import { NameScope } from "../lib/name-scope";
import { Naming } from "../lib/naming";
import { SecretStore } from "./secrets/secret-store";

/**
 * A module: one key of a system's configuration, and what the project does with it. Its folder
 * (`src/constructs/<module>/`) holds the definition beside its construct; one line in `MODULES`
 * (`src/config/modules.ts`) registers it. From the definition alone:
 * - the system's schema gains `key` (so `INFRA_CONFIG`, the settings reference and the JSON
 *   Schema know it);
 * - config validation runs its `check` under `key`, and its `names` in the check of names AWS
 *   holds unique;
 * - a module with a `layer` gets its own stack, `<project>-<environment>-<layer.name>`,
 *   built when its settings are set.
 *
 * Checks that read several modules' settings stay in `src/config` (they are the system's, not
 * the module's).
 */
export interface ModuleDefinition<K extends string = string, S extends z.ZodType = z.ZodType> {
  /** The module's key in a system's configuration, e.g. `audit`. */
  readonly key: K;
  /** Its settings: the zod schema with its defaults and `.describe()` (the documentation), `.optional()` for a module a system may leave out. */
  readonly settings: S;
  /**
   * Checks across the module's own keys, keys relative to its settings; throws a ConfigError
   * (or ConfigErrors). Run when the settings are set.
   */
  check?(settings: ModuleSettings<S>, context: ModuleCheckContext): void;
  /**
   * The names its settings give resources that AWS holds unique (S3 buckets, tables, ...), keys
   * relative to its settings: a collision is reported against the setting. (Synth also compares
   * every built resource's name, src/stacks/resource-names.ts, naming the two resources.)
   */
  names?(settings: ModuleSettings<S>, naming: Naming): ConfiguredName[];
  /** The module's own stack, when it has one. */
  readonly layer?: ModuleLayer<S>;
}

/** A module's stack: `build` adds its resources and outputs to the stack, which carries the AWS provider, tags and backend. */
export interface ModuleLayer<S extends z.ZodType = z.ZodType> {
  /** The stack's layer: the stack is `<project>-<environment>-<name>`, its state `<project>/<environment>/<stack>.tfstate`. */
  readonly name: string;
  build(stack: Construct, settings: ModuleSettings<S>, wiring: LayerWiring): void;
}

/** A module's parsed settings, when set. */
export type ModuleSettings<S extends z.ZodType> = NonNullable<z.output<S>>;

/** What a module's checks may read beside its settings. */
export interface ModuleCheckContext {
  /** Derives resource names as the constructs do. */
  readonly naming: Naming;
  /** The region, when it is valid (otherwise reported under `region`). */
  readonly region?: string;
  /** The availability zones the network spans, when the region and the AZs are valid. */
  readonly azs?: readonly string[];
}

/**
 * What a module's layer is built with: the system's names and placement, and what the layers
 * before it built that a layer uses (add a field here, and where composeSystem hands it over,
 * for a layer that needs more).
 */
export interface LayerWiring {
  readonly naming: Naming;
  readonly region: string;
  /** The only account the stacks may be applied to, when the system names one. */
  readonly accountId?: string;
  /** The system's secrets (the storage stack), when it has any. */
  readonly secrets?: SecretStore;
}

/** One name the configuration gives a resource, with the key that sets it. */
export interface ConfiguredName {
  readonly kind: string;
  readonly name: string;
  readonly key: string;
  readonly scope: NameScope;
}

/** A module definition, typed by its key and settings (so the system's schema and type know them). */
export function defineModule<K extends string, S extends z.ZodType>(definition: ModuleDefinition<K, S>): ModuleDefinition<K, S> {
  return definition;
}
