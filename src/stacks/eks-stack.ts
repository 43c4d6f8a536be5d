import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { ConfigError } from "../config/errors";
import { EksCluster } from "../constructs/eks";
import { Network } from "../constructs/networking";
import { AwsStack, StackContext } from "./aws-stack";

/**
 * The EKS layer: one {@link EksCluster} in the network layer's private subnets, and the
 * outputs the workloads layer, other layers (the node security group) and kubectl users
 * read. Built after the network stack, whose VPC and subnets it references.
 */
export class EksStack extends AwsStack {
  public readonly eks: EksCluster;

  constructor(scope: Construct, context: StackContext, network: Network) {
    super(scope, "eks", context);
    const settings = context.config.eks;
    if (!settings) throw new ConfigError("eks", undefined, "is required to build an EKS stack", 'configure "eks"');
    this.eks = new EksCluster(this, "eks", {
      naming: this.naming,
      region: this.config.region,
      vpcId: network.vpc.id,
      subnetIds: network.subnetIds("private"),
      settings,
    });

    const e = this.eks;
    const outputs: Record<string, { value: unknown; description: string; sensitive?: boolean }> = {
      cluster_name: { value: e.cluster.name, description: "The EKS cluster's name" },
      cluster_arn: { value: e.cluster.arn, description: "The EKS cluster's ARN" },
      cluster_version: { value: e.cluster.version, description: "The cluster's Kubernetes version" },
      cluster_endpoint: { value: e.cluster.endpoint, description: "The Kubernetes API endpoint" },
      cluster_certificate_authority_data: { value: e.certificateAuthorityData, description: "The API server's CA certificate, base64" },
      cluster_primary_security_group_id: { value: e.clusterPrimarySecurityGroupId, description: "The security group EKS created, on the control plane and every node" },
      node_security_group_id: { value: e.nodeSecurityGroup.id, description: "The security group every node carries; allow database and cache ports from it" },
      node_role_arn: { value: e.nodeRole.arn, description: "The nodes' IAM role" },
      oidc_provider_arn: { value: e.oidcProvider.arn, description: "The IAM OIDC provider, for IRSA role trust policies" },
      oidc_issuer_url: { value: e.oidcIssuerUrl, description: "The cluster's OIDC issuer URL" },
      secrets_kms_key_arn: { value: e.secretsKey.arn, description: "The KMS key encrypting Kubernetes Secrets" },
      kubeconfig_command: {
        value: `aws eks update-kubeconfig --name ${e.clusterName} --region ${this.config.region}`,
        description: "Configures kubectl for this cluster",
      },
    };
    for (const [id, o] of Object.entries(outputs)) new TerraformOutput(this, id, o);
  }
}
