import { Construct } from "constructs";
import { PolicyStatement } from "../../lib/iam";
import { GrantedStatements } from "./granted-statements";
import { IGrantable } from "./service-role";

export interface ExistingRoleProps {
  /** The name of a role created elsewhere (another stack, another team's Terraform). */
  readonly roleName: string;
  /** The name of the inline policy this construct adds to the role; unique per role. */
  readonly policyName: string;
}

/**
 * A role created elsewhere, known by name, that resources of this stack grant access to:
 * the statements gather into one inline policy, owned by this stack, on that role. This is
 * how a stack that comes later in the dependency order (e.g. the data stack) gives an
 * earlier stack's roles (the compute tier's instance roles) access to what it creates,
 * without the earlier stack reading its outputs.
 */
export class ExistingRole extends Construct implements IGrantable {
  public readonly roleName: string;
  private readonly grants: GrantedStatements;

  constructor(
    scope: Construct,
    id: string,
    props: ExistingRoleProps,
  ) {
    super(scope, id);
    if (!/^[\w+=,.@-]{1,64}$/.test(props.roleName)) {
      throw new Error(`${this.node.path}: "${props.roleName}" is not an IAM role name`);
    }
    this.roleName = props.roleName;
    this.grants = new GrantedStatements(this, props.policyName, props.roleName);
  }

  public addToPolicy(...statements: PolicyStatement[]): void {
    this.grants.add(statements);
  }

}
