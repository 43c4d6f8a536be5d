import { Json, PlanJson, PlanResourceChange, PlanStateResource } from "./plan-json";
import { PlanVerdict } from "./replan";
import { REPLAN_LINEAGE, TerraformState } from "./state";

/**
 * Many stacks planned as the child modules of one root, so that one terraform command (one
 * start of each provider) covers them all: `module "<stack>" { source = "./stacks/<stack>" }`,
 * with each stack's outputs forwarded as root outputs named `<stack>__<output>` (terraform
 * keeps only root outputs in state and in a plan's output changes).
 *
 * The functions here translate between the combined root and each stack as its own root:
 * the combined plan split into the plan each stack would have alone, per-stack states merged
 * into the root's state, and the root's verdict split per stack.
 */

/** Where the root keeps its stacks, relative to itself. */
export const STACKS_DIR = "stacks";

/** The root output that forwards a stack's output. */
export function forwardedOutput(stack: string, output: string): string {
  return `${stack}__${output}`;
}

/** A stack's provider blocks by provider name, as in its JSON: `{ aws: [{ region }, { alias: "us_east_1", region }] }`. */
export type ProviderBlocks = Readonly<Record<string, readonly Record<string, Json>[]>>;

/**
 * Provider configurations shared by the stacks: each distinct one is declared once in the
 * root (`shared_<n>`) and passed to the stacks that have it. Terraform starts a provider
 * process for every provider configuration of every module, for each command: with one per
 * stack, most of a combined plan was provider starts.
 */
export interface SharedProviders {
  /** The root's provider blocks, by provider name. */
  readonly provider: Record<string, Record<string, Json>[]>;
  /** Per sharing stack, its provider keys (`aws`, `aws.us_east_1`) to the root's (`aws.shared_1`). */
  readonly keys: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/**
 * Shares the stacks' provider configurations. Two blocks are one configuration when their
 * name, alias and arguments are equal; a stack whose blocks reference anything of its own
 * (`${...}`) keeps them.
 */
export function shareProviders(stacks: ReadonlyMap<string, ProviderBlocks>): SharedProviders {
  const provider: Record<string, Record<string, Json>[]> = {};
  const rootKeyOf = new Map<string, string>();
  const keys = new Map<string, Map<string, string>>();
  for (const [stack, blocks] of stacks) {
    if (JSON.stringify(blocks).includes("${")) continue;
    const own = new Map<string, string>();
    for (const [name, list] of Object.entries(blocks)) {
      for (const block of list) {
        const identity = JSON.stringify([name, block]);
        if (!rootKeyOf.has(identity)) {
          const alias = `shared_${rootKeyOf.size + 1}`;
          (provider[name] ??= []).push({ ...withoutAlias(block), alias });
          rootKeyOf.set(identity, `${name}.${alias}`);
        }
        own.set(providerKey(name, block.alias as string | undefined), rootKeyOf.get(identity)!);
      }
    }
    keys.set(stack, own);
  }
  return { provider, keys };
}

/**
 * A sharing stack's configuration as a module: without its provider blocks, its aliased
 * providers declared as passed in (`configuration_aliases`).
 */
export function asSharingModule<T extends { provider?: unknown; terraform?: { required_providers?: Record<string, Record<string, Json>> } }>(json: T, keys: ReadonlyMap<string, string>): T {
  const { provider: _provider, ...rest } = json;
  const required = { ...(json.terraform?.required_providers ?? {}) };
  for (const [name, spec] of Object.entries(required)) {
    const aliases = [...keys.keys()].filter((key) => key.startsWith(`${name}.`));
    if (aliases.length > 0) required[name] = { ...spec, configuration_aliases: aliases };
  }
  return { ...rest, terraform: { ...json.terraform, required_providers: required } } as T;
}

/** The root configuration: one module call per stack (passed its shared providers), its outputs forwarded, the shared providers. */
export function rootConfiguration(stacks: ReadonlyMap<string, { output?: Record<string, { sensitive?: boolean }> }>, shared?: SharedProviders): Record<string, Json> {
  const module: Record<string, Json> = {};
  const output: Record<string, Json> = {};
  for (const [stack, json] of stacks) {
    const keys = shared?.keys.get(stack);
    module[stack] = { source: `./${STACKS_DIR}/${stack}`, ...(keys ? { providers: Object.fromEntries(keys) } : {}) };
    for (const [name, body] of Object.entries(json.output ?? {})) {
      output[forwardedOutput(stack, name)] = { value: `\${module.${stack}.${name}}`, ...(body.sensitive ? { sensitive: true } : {}) };
    }
  }
  const root: Record<string, Json> = {};
  if (shared && Object.keys(shared.provider).length > 0) root.provider = shared.provider;
  root.module = module;
  if (Object.keys(output).length > 0) root.output = output;
  return root;
}

/**
 * The plan `stack` would have as a root of its own, cut out of the combined root's plan;
 * `keys` are its shared providers' (their resources name the root's provider configuration).
 */
export function planOfModule(plan: PlanJson, stack: string, keys: ReadonlyMap<string, string> = new Map()): PlanJson {
  const ownKey = new Map([...keys].map(([local, root]) => [root, local]));
  const prefix = `module.${stack}.`;
  const local = <T extends PlanResourceChange | PlanStateResource>(r: T): T => {
    const { module_address: _module, ...rest } = r;
    // A moved resource's previous address is in the module too.
    const previous = "previous_address" in r && r.previous_address?.startsWith(prefix) ? { previous_address: r.previous_address.slice(prefix.length) } : {};
    return { ...rest, ...previous, address: r.address.slice(prefix.length) } as T;
  };
  const call = plan.configuration?.root_module?.module_calls?.[stack]?.module;
  const children = plan.prior_state?.values?.root_module?.child_modules ?? [];
  return {
    format_version: plan.format_version,
    terraform_version: plan.terraform_version,
    planned_values: { outputs: ownOutputs(plan.planned_values?.outputs, stack) },
    resource_changes: (plan.resource_changes ?? []).filter((rc) => rc.module_address === `module.${stack}`).map(local),
    output_changes: ownOutputs(plan.output_changes, stack),
    prior_state: { values: { root_module: { resources: (children.find((c) => c.address === `module.${stack}`)?.resources ?? []).map(local) } } },
    configuration: {
      root_module: {
        resources: (call?.resources ?? []).map((r) => ({ ...r, provider_config_key: ownKey.get(r.provider_config_key) ?? r.provider_config_key.replace(/^[^:]*:/, "") })),
        outputs: call?.outputs ?? {},
      },
    },
  };
}

/**
 * The combined root's state: each stack's state, its resources inside its module, with their
 * provider configuration: the root's where the stack shares it (`shared`), else the module's.
 */
export function stateOfModules(states: ReadonlyMap<string, TerraformState>, terraformVersion: string, shared?: SharedProviders): TerraformState {
  const resources: TerraformState["resources"] = [];
  const outputs: TerraformState["outputs"] = {};
  for (const [stack, state] of states) {
    const keys = shared?.keys.get(stack);
    const providerOf = (provider: string) => {
      const [, address, alias] = /^provider\["([^"]+)"\](?:\.(.+))?$/.exec(provider) ?? [];
      const root = address === undefined ? undefined : keys?.get(providerKey(address.split("/").pop()!, alias));
      return root ? `provider["${address}"].${root.split(".")[1]}` : `module.${stack}.${provider}`;
    };
    for (const r of state.resources) resources.push({ ...r, module: `module.${stack}`, provider: providerOf(r.provider) });
    for (const [name, output] of Object.entries(state.outputs)) outputs[forwardedOutput(stack, name)] = output;
  }
  return { version: 4, terraform_version: terraformVersion, serial: 1, lineage: REPLAN_LINEAGE, outputs, resources, check_results: null };
}

/** A provider configuration's key in its module: `aws`, or `aws.<alias>`. */
function providerKey(name: string, alias: string | undefined): string {
  return alias ? `${name}.${alias}` : name;
}

function withoutAlias(block: Record<string, Json>): Record<string, Json> {
  const { alias: _alias, ...rest } = block;
  return rest;
}

/** One stack's part of the combined root's verdict, with its addresses and outputs as they are in the stack. */
export function verdictOfModule(verdict: PlanVerdict, stack: string): PlanVerdict {
  const changes = own(verdict.changes, `module.${stack}.`, "");
  const outputChanges = own(verdict.outputChanges, `output.${forwardedOutput(stack, "")}`, "output.");
  return { changes, outputChanges, noChanges: changes.length === 0 && outputChanges.length === 0 };
}

/** Of `<action> <address>` lines, those whose address starts with `prefix`, with `replacement` for it (an address may hold spaces, in a key). */
function own(lines: readonly string[], prefix: string, replacement: string): string[] {
  return lines.flatMap((line) => {
    const space = line.indexOf(" ");
    const address = line.slice(space + 1);
    return address.startsWith(prefix) ? [`${line.slice(0, space)} ${replacement}${address.slice(prefix.length)}`] : [];
  });
}

/** The entries of a root-output map that forward `stack`'s outputs, under the stack's own names. */
function ownOutputs<T>(outputs: Record<string, T> | undefined, stack: string): Record<string, T> {
  const prefix = forwardedOutput(stack, "");
  return Object.fromEntries(Object.entries(outputs ?? {}).flatMap(([name, value]) => (name.startsWith(prefix) ? [[name.slice(prefix.length), value]] : [])));
}
