import { Construct } from "constructs";
import { EksPodIdentityAssociation } from "@cdktf/provider-aws/lib/eks-pod-identity-association";
import { PolicyStatement } from "../../lib/iam";
import { IGrantable, ServiceRole } from "../iam/service-role";

/** The service principal of EKS Pod Identity, and what it does with a pod's role. */
export const POD_IDENTITY_SERVICE = "pods.eks.amazonaws.com";
export const POD_IDENTITY_TRUST_ACTIONS = ["sts:AssumeRole", "sts:TagSession"] as const;

export interface PodIdentityRoleProps {
  /** The role's name (at most 64 characters). */
  readonly roleName: string;
  /** The cluster the pods run in (its name, or a reference to it). */
  readonly clusterName: string;
  /** The namespace of the service account. */
  readonly namespace: string;
  /** The service account the pods run as. */
  readonly serviceAccount: string;
  /** The AWS partition of the region. */
  readonly partition: string;
  /** What the role is for. @default none */
  readonly description?: string;
}

/**
 * An IAM role for the pods of one Kubernetes service account, through EKS Pod Identity:
 * the role trusts `pods.eks.amazonaws.com` (`sts:AssumeRole` and `sts:TagSession`), and a
 * pod identity association binds it to the namespace and service account, so the
 * `eks-pod-identity-agent` add-on hands those pods its credentials. No OIDC trust, no
 * annotation: the service account needs nothing but its name. Permissions are granted by
 * intent (`bucket.grantRead(role)`, ...), as for any {@link ServiceRole}.
 */
export class PodIdentityRole extends Construct implements IGrantable {
  public readonly role: ServiceRole;
  public readonly association: EksPodIdentityAssociation;
  /** The role's name as configured: a plain string other stacks may use without a reference. */
  public readonly roleName: string;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    this.roleName = props.roleName;
    this.role = new ServiceRole(this, "role", {
      roleName: props.roleName,
      service: POD_IDENTITY_SERVICE,
      trustActions: POD_IDENTITY_TRUST_ACTIONS,
      partition: props.partition,
      description: props.description ?? `Pods of ${props.namespace}/${props.serviceAccount}`,
    });
    this.association = new EksPodIdentityAssociation(this, "association", {
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.arn,
    });
  }

  public get arn(): string {
    return this.role.arn;
  }

  public addToPolicy(...statements: PolicyStatement[]): void {
    this.role.addToPolicy(...statements);
  }
}
