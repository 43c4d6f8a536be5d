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

/** The root configuration: one module call per stack, and its outputs forwarded. */
export function rootConfiguration(stacks: ReadonlyMap<string, { output?: Record<string, { sensitive?: boolean }> }>): Record<string, Json> {
  const module: Record<string, Json> = {};
  const output: Record<string, Json> = {};
  for (const [stack, json] of stacks) {
    module[stack] = { source: `./${STACKS_DIR}/${stack}` };
    for (const [name, body] of Object.entries(json.output ?? {})) {
      output[forwardedOutput(stack, name)] = { value: `\${module.${stack}.${name}}`, ...(body.sensitive ? { sensitive: true } : {}) };
    }
  }
  return Object.keys(output).length > 0 ? { module, output } : { module };
}

/** The plan `stack` would have as a root of its own, cut out of the combined root's plan. */
export function planOfModule(plan: PlanJson, stack: string): PlanJson {
  const prefix = `module.${stack}.`;
  const local = <T extends PlanResourceChange | PlanStateResource>(r: T): T => {
    const { module_address: _module, ...rest } = r;
    return { ...rest, address: r.address.slice(prefix.length) } as T;
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
        resources: (call?.resources ?? []).map((r) => ({ ...r, provider_config_key: r.provider_config_key.replace(/^[^:]*:/, "") })),
        outputs: call?.outputs ?? {},
      },
    },
  };
}

/** The combined root's state: each stack's state, its resources and provider configurations inside its module. */
export function stateOfModules(states: ReadonlyMap<string, TerraformState>, terraformVersion: string): TerraformState {
  const resources: TerraformState["resources"] = [];
  const outputs: TerraformState["outputs"] = {};
  for (const [stack, state] of states) {
    for (const r of state.resources) resources.push({ ...r, module: `module.${stack}`, provider: `module.${stack}.${r.provider}` });
    for (const [name, output] of Object.entries(state.outputs)) outputs[forwardedOutput(stack, name)] = output;
  }
  return { version: 4, terraform_version: terraformVersion, serial: 1, lineage: REPLAN_LINEAGE, outputs, resources, check_results: null };
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
