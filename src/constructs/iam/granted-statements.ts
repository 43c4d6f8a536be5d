import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { policyDocument, PolicyStatement } from "../../lib/iam";

/**
 * Statements granted to a role by intent, gathered into one inline policy (`<owner>/policy`)
 * that is created on the first grant and rendered at synth, so it holds every later grant
 * too. Two grants with the same Sid are refused: each grant names itself.
 */
export class GrantedStatements {
  private readonly statements: PolicyStatement[] = [];
  private inlinePolicy?: IamRolePolicy;

  /**
   * @param owner the construct the policy is created in
   * @param policyName the inline policy's name
   * @param role the role's name or id
   */
  constructor(
    private readonly owner: Construct,
    private readonly policyName: string,
    private readonly role: string,
  ) {}

  /** The inline policy; undefined until something is granted. */
  public get policy(): IamRolePolicy | undefined {
    return this.inlinePolicy;
  }

  public add(statements: readonly PolicyStatement[]): void {
    for (const statement of statements) {
      if (statement.Sid && this.statements.some((s) => s.Sid === statement.Sid)) {
        throw new Error(`${this.owner.node.path}: a statement with Sid "${statement.Sid}" was already granted; give each grant its own Sid`);
      }
      this.statements.push(statement);
    }
    this.inlinePolicy ??= new IamRolePolicy(this.owner, "policy", {
      name: this.policyName,
      role: this.role,
      policy: Lazy.stringValue({ produce: () => policyDocument(...this.statements) }),
    });
  }
}
