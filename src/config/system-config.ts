import { z } from "zod";
import { AdoptedConfigSchema } from "./adopted-config";
import { BackendConfigSchema } from "./backend-config";
import { ForeignStateConfigSchema } from "../constructs/remote-state/settings";
import { ENVIRONMENT_NAMES } from "./environments";
import { AnyModule, MODULES, modulesShape } from "./modules";

/**
 * The configuration of one system (e.g. `muejam`) in one environment (e.g. `prod`): what
 * the system's stacks are built from, with the settings of every module of MODULES under its
 * key. Unknown keys are errors, so a typo never passes silently.
 */
export const SystemConfigSchema = systemConfigSchemaOf(MODULES);

/** The schema of a system made of `modules` (MODULES, or a caller's list: PlanOptions.modules). */
export function systemConfigSchemaOf<const M extends readonly AnyModule[]>(modules: M) {
  const system = {
    project: z
      .string()
      // Single dashes: RDS and ElastiCache identifiers, which start with the project, refuse "--".
      .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, { message: "must be lower case letters, digits and single dashes, starting with a letter and ending with a letter or digit" })
      .min(2, { message: "must be at least 2 characters" })
      .max(24, { message: "must be at most 24 characters, so that derived resource names fit AWS limits" }).describe("The system's name: lower case letters, digits and single dashes. Prefixes every resource name and the `Project` tag."),
    environment: z.enum(ENVIRONMENT_NAMES).describe("The environment: `dev`, `staging` or `prod`."),
    region: z.string().describe("The AWS region, e.g. `us-east-1`."),
    accountId: z
      .string()
      .regex(/^\d{12}$/, { message: "must be a 12-digit AWS account id" })
      .optional().describe("The only AWS account the stacks may be applied to (the provider's `allowed_account_ids`). When set, derived S3 bucket names end in it (`<project>-<environment>-<key>-<accountId>`): bucket names are global. Default: no restriction."),
    deletionProtection: z.boolean().default(true).describe("AWS-side deletion protection on databases and load balancers, and Terraform `prevent_destroy` on databases, caches, tables, image repositories, the storage key, load balancers and EKS clusters (a plan that would replace a load balancer, e.g. an NLB losing a subnet, or a cluster, is refused before anything is deleted). State and data buckets are always protected. Default: false in dev, true in staging and prod."),
    tags: z.record(z.string(), z.string()).default({}).describe("Extra tags on every resource, beside Project, Environment and ManagedBy."),
    backend: BackendConfigSchema.prefault({}).describe("Where every stack keeps its Terraform state (docs/state.md). Default: local state files."),
    foreignStates: z.record(z.string(), ForeignStateConfigSchema).default({}).describe("Other teams' states the stacks read, by name (src/constructs/remote-state)."),
    adopted: AdoptedConfigSchema.describe("Values adopted resources keep (docs/adopt.md), by layer, resource address and attribute."),
  };
  return z.strictObject({ ...system, ...modulesShape(modules, Object.keys(system)) });
}

export type SystemConfig = z.infer<typeof SystemConfigSchema>;
export type SystemConfigInput = DeepPartial<z.input<typeof SystemConfigSchema>>;

/** Every property optional, recursively: one layer of configuration (environment, preset or override). */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
