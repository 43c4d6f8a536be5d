import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { policyDocument, PolicyStatement } from "../../lib/iam";
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
  private readonly statements: PolicyStatement[] = [];
  private policy?: IamRolePolicy;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: ExistingRoleProps,
  ) {
    super(scope, id);
    if (!/^[\w+=,.@-]{1,64}$/.test(props.roleName)) {
      throw new Error(`${this.node.path}: "${props.roleName}" is not an IAM role name`);
    }
    this.roleName = props.roleName;
  }

  public addToPolicy(...statements: PolicyStatement[]): void {
    for (const statement of statements) {
      if (statement.Sid && this.statements.some((s) => s.Sid === statement.Sid)) {
        throw new Error(`${this.node.path}: a statement with Sid "${statement.Sid}" was already granted; give each grant its own Sid`);
      }
      this.statements.push(statement);
    }
    this.policy ??= new IamRolePolicy(this, "policy", {
      name: this.props.policyName,
      role: this.props.roleName,
      policy: Lazy.stringValue({ produce: () => policyDocument(...this.statements) }),
    });
  }
}
