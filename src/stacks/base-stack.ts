import { Construct, Node } from "constructs";
import { LocalBackend, TerraformElement, TerraformStack } from "cdktf";
import { LogicalIdRegistry } from "./logical-ids";

/**
 * The root of every stack in this project.
 *
 * Resource addresses are read in pull requests and are a public contract: they derive
 * from the construct path (`aws_nat_gateway.network_nat_us-east-1a`) with no hash
 * suffix, and synth fails if two constructs would get the same address.
 */
export abstract class BaseStack extends TerraformStack {
  private readonly logicalIds: LogicalIdRegistry;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.logicalIds = new LogicalIdRegistry(id);
    // State stays beside the project, outside cdktf.out (which synth may rewrite), at a
    // path that does not depend on the machine: stacks run from cdktf.out/stacks/<stack>.
    new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
  }

  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    return this.logicalIds.allocate(node, this.node);
  }
}
