import { Node } from "constructs";

/**
 * Turns a construct path below the stack into a Terraform name: the path's ids joined
 * with `_`, with any character Terraform does not allow in a name replaced by `_`.
 * `["network", "nat_us-east-1a"]` -> `network_nat_us-east-1a`.
 */
export function logicalIdFromPath(ids: readonly string[]): string {
  const id = ids.map((part) => part.replace(/[^A-Za-z0-9_-]+/g, "_")).join("_");
  return /^[A-Za-z_]/.test(id) ? id : `_${id}`;
}

/**
 * Hands out readable logical ids and refuses to give one id to two constructs. Without
 * the check, two paths that sanitize alike (`a/b_c` and `a_b/c`) would silently merge
 * into one Terraform block.
 */
export class LogicalIdRegistry {
  private readonly owners = new Map<string, string>();

  constructor(private readonly stackName: string) {}

  public allocate(node: Node, stackNode: Node): string {
    const scopes = node.scopes;
    const below = scopes.slice(scopes.findIndex((s) => s.node === stackNode) + 1);
    const id = logicalIdFromPath(below.map((s) => s.node.id));
    const owner = this.owners.get(id);
    if (owner !== undefined && owner !== node.path) {
      throw new Error(
        `Logical id collision in stack ${this.stackName}: "${id}" is produced by both "${owner}" and "${node.path}". ` +
          "Rename one of the construct ids; ids become Terraform addresses and must be unique.",
      );
    }
    this.owners.set(id, node.path);
    return id;
  }
}
