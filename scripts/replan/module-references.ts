import { ConfigExpression, ConfigModule, ConfigResource, Json } from "./plan-json";

/**
 * A hand-written configuration's expressions reach the plan JSON without their text: only the
 * references each reads (`{"references": ["aws_vpc.main.id", "aws_vpc.main"]}`), through
 * module variables and outputs. A synthesized stack's come as JSON templates, which the state
 * builder evaluates; this gives the builder the same for the common shape of a value known
 * only after apply: one resource attribute, passed as it is (`vpc_id = aws_vpc.main.id`,
 * `vpc_id = var.vpc_id` fed `module.networking.vpc_id`, `subnet_id = aws_subnet.public[count.index].id`,
 * `subnets = var.public_subnet_ids` fed `aws_subnet.public[*].id`). It is a guess (the
 * references alone don't say `"${aws_vpc.main.id}-x"` from `aws_vpc.main.id`, nor which
 * attribute a splat reads: `id`); a wrong one only costs a re-plan round, which takes the
 * value terraform plans (scripts/replan/replan.ts, replanSettled).
 */
export class ModuleReferences {
  private readonly modules = new Map<string, ConfigModule>();

  /**
   * @param root the plan's `configuration.root_module`
   * @param instances every planned instance address (`module.networking.aws_subnet.public[0]`),
   * to expand a splat into its instances
   */
  constructor(
    root: ConfigModule | undefined,
    private readonly instances: readonly string[],
  ) {
    const walk = (module: ConfigModule | undefined, path: string) => {
      if (!module) return;
      this.modules.set(path, module);
      for (const [name, call] of Object.entries(module.module_calls ?? {})) walk(call.module, `${path}module.${name}.`);
    };
    walk(root, "");
  }

  /** Every resource's configuration, by its address with its modules (`module.alb.aws_lb.main`). */
  public resources(): Map<string, ConfigResource> {
    return new Map([...this.modules].flatMap(([path, module]) => (module.resources ?? []).map((r) => [`${path}${r.address}`, r] as const)));
  }

  /**
   * The template of a references-only expression of the resource instance at `owner`
   * (`"${module.networking.aws_vpc.main.id}"`, or a list of them), shaped as `list` says the
   * attribute is (undefined: as resolved); undefined where it is not one attribute passed as it
   * is. `owner` is a resource instance's address, or `""` for the root module's outputs.
   */
  public template(expression: ConfigExpression, owner: string, list?: boolean): Json | undefined {
    const { path, index } = splitOwner(owner);
    const resolved = this.resolve(expression.references ?? [], path, index);
    if (resolved === undefined) return undefined;
    if (Array.isArray(resolved)) return list !== false ? resolved.map((r) => `\${${r}}`) : undefined;
    return list ? [`\${${resolved}}`] : `\${${resolved}}`;
  }

  private resolve(references: readonly string[], path: string, index: number | undefined): string | string[] | undefined {
    const byIndex = references.includes("count.index");
    const primary = references.find((r) => !r.startsWith("count.") && !r.startsWith("each."));
    if (primary === undefined || references.some((r) => r.startsWith("each."))) return undefined;
    const parts = primary.split(".");
    if (parts[0] === "var" && parts.length === 2) return this.resolveVariable(parts[1], path);
    if (parts[0] === "module" && parts.length === 3) {
      const output = this.modules.get(`${path}module.${parts[1]}.`)?.outputs?.[parts[2]]?.expression;
      return output?.references ? this.resolve(output.references, `${path}module.${parts[1]}.`, undefined) : undefined;
    }
    const resource = /^((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)((?:\.[a-z0-9_]+)*)$/.exec(primary);
    if (!resource || ["var", "local", "module", "path", "terraform", "self"].includes(parts[0])) return undefined;
    const base = `${path}${resource[1]}`;
    const attribute = resource[2].slice(1);
    const counted = this.instances.filter((a) => a.startsWith(`${base}[`) && /^\[\d+\]$/.test(a.slice(base.length))).sort((a, b) => indexOf(a) - indexOf(b));
    if (counted.length === 0) return attribute ? `${base}.${attribute}` : undefined;
    if (byIndex) return index === undefined ? undefined : `${base}[${index}].${attribute || "id"}`;
    return attribute ? undefined : counted.map((a) => `${a}.id`);
  }

  /** A module's variable, as its call in the parent module sets it. */
  private resolveVariable(name: string, path: string): string | string[] | undefined {
    const call = /^(.*)module\.([A-Za-z0-9_-]+)\.$/.exec(path);
    if (!call) return undefined;
    const argument = this.modules.get(call[1])?.module_calls?.[call[2]]?.expressions?.[name];
    return argument?.references ? this.resolve(argument.references, call[1], undefined) : undefined;
  }
}

/** `module.a.aws_x.y[2]` -> the module path `module.a.` and the count index 2. */
function splitOwner(owner: string): { path: string; index: number | undefined } {
  const index = /\[(\d+)\]$/.exec(owner);
  const modules = /^((?:module\.[A-Za-z0-9_-]+\.)*)/.exec(owner)![1];
  return { path: modules, index: index ? Number(index[1]) : undefined };
}

function indexOf(address: string): number {
  return Number(/\[(\d+)\]$/.exec(address)![1]);
}
