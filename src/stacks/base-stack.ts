import { Construct, Node } from "constructs";
import { TerraformBackend, TerraformElement, TerraformStack } from "cdktf";
import { applyBackend, StackBackend, TERRAFORM_VERSION } from "./backend";
import { LogicalIdRegistry } from "./logical-ids";

/**
 * The root of every stack in this project.
 *
 * Resource addresses are read in pull requests and are a public contract: they derive
 * from the construct path (`aws_nat_gateway.network_nat_us-east-1a`) with no hash
 * suffix, and synth fails if two constructs would get the same address.
 *
 * State goes where `backend` says (see ./backend.ts): by default a local file beside the
 * project, `terraform.<stack>.tfstate`. Every stack pins the Terraform releases it accepts
 * (`required_version`, see TERRAFORM_VERSION).
 */
export abstract class BaseStack extends TerraformStack {
  /** Where this stack keeps its state. */
  public readonly backend: TerraformBackend;
  private readonly logicalIds: LogicalIdRegistry;

  constructor(scope: Construct, id: string, backend: StackBackend = { type: "local" }) {
    if (scope.node.tryFindChild(id)) {
      throw new Error(`two stacks are named ${id}: each layer of a system needs a name of its own (a module's layer.name must not be another layer's)`);
    }
    super(scope, id);
    this.logicalIds = new LogicalIdRegistry(id);
    this.backend = applyBackend(this, backend);
    this.addOverride("terraform.required_version", TERRAFORM_VERSION);
  }

  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    return this.logicalIds.allocate(node, this.node);
  }
}
