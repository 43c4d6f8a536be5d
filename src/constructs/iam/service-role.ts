import { Construct } from "constructs";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { assumeRolePolicy, PolicyStatement } from "../../lib/iam";
import { GrantedStatements } from "./granted-statements";
import { checkName } from "../../lib/naming";

/** Something IAM statements can be granted to. Resources' `grant*` methods take one. */
export interface IGrantable {
  /** Adds statements to the grantee's policy. */
  addToPolicy(...statements: PolicyStatement[]): void;
}

export interface ServiceRoleProps {
  /** The role's name (at most 64 characters). */
  readonly roleName: string;
  /** The service that assumes the role, e.g. `ec2.amazonaws.com`. */
  readonly service: string;
  /** The AWS partition, for managed policy ARNs. @default "aws" */
  readonly partition?: string;
  /** What the role is for. @default none */
  readonly description?: string;
  /** AWS managed policies to attach, by name, e.g. `AmazonSSMManagedInstanceCore`. @default [] */
  readonly managedPolicies?: readonly string[];
  /** Whether to create an instance profile for EC2. @default false */
  readonly instanceProfile?: boolean;
  /** What the service may do with the role, e.g. `sts:TagSession` as well for EKS Pod Identity. @default ["sts:AssumeRole"] */
  readonly trustActions?: readonly string[];
}

/**
 * An IAM role for an AWS service, whose permissions are granted by intent: resources
 * call `addToPolicy` through their `grant*` methods, and the statements gather into one
 * inline policy, so the role holds exactly what was granted and nothing else.
 */
export class ServiceRole extends Construct implements IGrantable {
  public readonly role: IamRole;
  /** The role's name as configured: a plain string other stacks may use without a reference. */
  public readonly roleName: string;
  public readonly instanceProfile?: IamInstanceProfile;
  /** The managed policy attachments, in the order given: resources that need the role's permissions in place depend on them. */
  public readonly managedPolicyAttachments: readonly IamRolePolicyAttachment[];
  private readonly grants: GrantedStatements;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    checkName("iamRole", props.roleName, "roleName");
    this.roleName = props.roleName;
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: assumeRolePolicy(props.service, undefined, props.trustActions ?? "sts:AssumeRole"),
    });
    this.managedPolicyAttachments = (props.managedPolicies ?? []).map(
      (name) =>
        new IamRolePolicyAttachment(this, name, {
          role: this.role.name,
          policyArn: `arn:${props.partition ?? "aws"}:iam::aws:policy/${name}`,
        }),
    );
    this.grants = new GrantedStatements(this, "granted", this.role.id);
    if (props.instanceProfile) {
      this.instanceProfile = new IamInstanceProfile(this, "instance_profile", {
        name: props.roleName,
        role: this.role.name,
      });
    }
  }

  /** The role's ARN. */
  public get arn(): string {
    return this.role.arn;
  }

  /** The role's name. */
  public get name(): string {
    return this.role.name;
  }

  /** The inline policy holding the granted statements; undefined until something is granted. */
  public get inlinePolicy(): IamRolePolicy | undefined {
    return this.grants.policy;
  }

  public addToPolicy(...statements: PolicyStatement[]): void {
    this.grants.add(statements);
  }
}
