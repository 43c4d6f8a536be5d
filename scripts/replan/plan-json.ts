/** The parts of `terraform show -json <plan>` that building a state and reviewing a change read. */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Mirrors a value: `true` where the value is unknown (after_unknown) or sensitive (after_sensitive). */
export type Mask = boolean | Mask[] | { [key: string]: Mask } | undefined;

export interface PlanResourceChange {
  readonly address: string;
  /** `module.networking` for a resource inside a module call; absent at the root. */
  readonly module_address?: string;
  readonly previous_address?: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: string[];
    readonly before: Json;
    readonly after: Json;
    readonly after_unknown?: Mask;
    readonly before_sensitive?: Mask;
    readonly after_sensitive?: Mask;
    readonly replace_paths?: (string | number)[][];
    readonly importing?: unknown;
  };
}

export interface PlanStateResource {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name: string;
  readonly schema_version?: number;
  readonly values: Record<string, Json>;
  readonly sensitive_values?: Mask;
}

export interface ConfigExpression {
  readonly constant_value?: Json;
  readonly references?: string[];
}

export type ConfigExpressions = { [attr: string]: ConfigExpression | ConfigExpressions[] | ConfigExpressions };

export interface ConfigResource {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly provider_config_key: string;
  readonly expressions?: ConfigExpressions;
}

export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version: string;
  readonly planned_values?: { outputs?: Record<string, { sensitive: boolean; type?: Json; value?: Json }> };
  readonly resource_changes?: PlanResourceChange[];
  readonly output_changes?: Record<string, { actions: string[]; before: Json; after: Json; after_unknown?: Mask; after_sensitive?: Mask }>;
  readonly prior_state?: {
    values?: {
      root_module?: {
        resources?: PlanStateResource[];
        /** The resources inside module calls, by module (`module.<name>`). */
        child_modules?: { address: string; resources?: PlanStateResource[] }[];
      };
    };
  };
  readonly configuration?: {
    readonly provider_config?: Record<string, { name: string; full_name?: string; alias?: string }>;
    readonly root_module?: ConfigModule;
  };
}

/** A module's configuration, as `terraform show -json` writes it. */
export interface ConfigModule {
  readonly resources?: ConfigResource[];
  readonly outputs?: Record<string, { expression?: ConfigExpression; sensitive?: boolean; description?: string }>;
  /** The module calls, by name, with the called module's configuration and the call's arguments. */
  readonly module_calls?: Record<string, { readonly module?: ConfigModule; readonly expressions?: Record<string, ConfigExpression> }>;
}

/** Whether an expression is one (constant or template) rather than a block's nested expressions. */
export function isExpression(e: unknown): e is ConfigExpression {
  return typeof e === "object" && e !== null && !Array.isArray(e) && ("constant_value" in e || "references" in e);
}
