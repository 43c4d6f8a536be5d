import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { ConfigError } from "../lib/errors";
import { EksCluster, LoadBalancerControllerRole, PodIdentityRole } from "../constructs/eks";
import { accessLogBucket } from "../constructs/alb/elb-log-delivery";
import { AccessLogsConfigSchema } from "../constructs/alb/settings";
import { Network } from "../constructs/networking";
import { SecureBucket } from "../constructs/storage/secure-bucket";
import { WebAcl } from "../constructs/waf";
import { partitionOf } from "../lib/regions";
import { workloadName } from "../lib/naming";
import { webAclFor } from "./compute-stack";
import { AwsStack, StackContext } from "./aws-stack";

/**
 * The EKS layer: one {@link EksCluster} in the network layer's private subnets, and the
 * outputs the workloads layer, other layers (the node security group) and kubectl users
 * read. Built after the network stack, whose VPC and subnets it references.
 */
export class EksStack extends AwsStack {
  public readonly eks: EksCluster;
  /** The AWS identity of each workload app that asks for one (`workloads.apps.<app>.aws`), by app. */
  public readonly podRoles: Readonly<Record<string, PodIdentityRole>>;
  /** The AWS Load Balancer Controller's identity, when the workloads have an Ingress. */
  public readonly loadBalancerController?: LoadBalancerControllerRole;
  /** The WAF web ACL of the internet-facing Ingress's ALB (the controller associates it by annotation). */
  public readonly ingressWebAcl?: WebAcl;
  /** The bucket the Ingress's ALB writes access logs to (outside dev). */
  public readonly ingressAccessLogs?: SecureBucket;

  /**
   * @param buckets the storage layer's buckets by key, which pods are granted by intent
   */
  constructor(scope: Construct, context: StackContext, network: Network, buckets: Readonly<Record<string, SecureBucket>> = {}) {
    super(scope, "eks", context);
    const settings = context.config.eks;
    if (!settings) throw new ConfigError("eks", undefined, "is required to build an EKS stack", 'configure "eks"');
    this.eks = new EksCluster(this, "eks", {
      naming: this.naming,
      region: this.config.region,
      vpcId: network.vpc.id,
      subnetIds: network.subnetIds("private"),
      settings,
      deletionProtection: this.config.deletionProtection,
    });

    const partition = partitionOf(context.config.region);
    this.podRoles = this.addPodRoles(context, buckets, partition);
    if (context.config.workloads?.ingress) {
      this.loadBalancerController = new LoadBalancerControllerRole(this, "load_balancer_controller", {
        name: this.naming.name("iamRole", "aws-load-balancer-controller"),
        clusterName: this.eks.cluster.name,
        partition,
      });
    }

    // The AWS side of the ALB the AWS Load Balancer Controller makes for an internet-facing
    // Ingress: its web ACL and access-log bucket, handed to the workloads stack's annotations.
    const ingress = context.config.workloads?.ingress;
    if (ingress && ingress.scheme === "internet-facing") {
      this.ingressWebAcl = webAclFor(this, this.config, this.naming, "ingress", "REGIONAL", "the Ingress's ALB");
      if (this.config.environment !== "dev") this.ingressAccessLogs = this.addIngressAccessLogs();
    }

    this.addOutputs();
  }

  /**
   * Pods' AWS identities, through EKS Pod Identity: each app that uses AWS gets a role of
   * its own, bound to its service account and granted its buckets here; the data layer
   * grants the database secret and Redis to the same roles by name.
   */
  private addPodRoles(context: StackContext, buckets: Readonly<Record<string, SecureBucket>>, partition: string): Record<string, PodIdentityRole> {
    const workloads = context.config.workloads;
    const namespace = workloads?.namespace ?? context.config.project;
    const podRoles: Record<string, PodIdentityRole> = {};
    for (const [app, appSettings] of Object.entries(workloads?.apps ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      const aws = appSettings.aws;
      if (!aws) continue;
      const role = new PodIdentityRole(this, `pod_${app}`, {
        roleName: this.naming.name("iamRole", "pod", app),
        clusterName: this.eks.cluster.name,
        namespace,
        serviceAccount: workloadName(context.config.project, app),
        partition,
      });
      for (const [key, access] of Object.entries(aws.buckets).sort(([a], [b]) => a.localeCompare(b))) {
        const bucket = buckets[key];
        if (!bucket) throw new ConfigError(`workloads.apps.${app}.aws.buckets.${key}`, key, "is not a bucket of the storage layer", "add it to storage.buckets");
        if (access === "read_write") bucket.grantReadWrite(role);
        else bucket.grantRead(role);
      }
      podRoles[app] = role;
    }
    return podRoles;
  }

  private addIngressAccessLogs(): SecureBucket {
    return accessLogBucket(new Construct(this, "ingress"), "alb", {
      bucketName: this.naming.name("s3Bucket", "ingress-logs", this.config.region),
      // The Ingress's ALB has no access-log settings of its own: a load balancer's defaults.
      settings: AccessLogsConfigSchema.parse({}),
      region: this.config.region,
      preventDestroy: this.config.deletionProtection,
      accountId: this.config.accountId,
    });
  }

  private addOutputs(): void {
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
    for (const [app, role] of Object.entries(this.podRoles)) {
      outputs[`pod_role_${app.replace(/-/g, "_")}_arn`] = { value: role.arn, description: `The IAM role the ${app} pods get through EKS Pod Identity` };
    }
    if (this.loadBalancerController) {
      outputs.load_balancer_controller_role_arn = {
        value: this.loadBalancerController.identity.arn,
        description: "The AWS Load Balancer Controller's role, bound to kube-system/aws-load-balancer-controller through EKS Pod Identity",
      };
    }
    if (e.containerLogs) {
      outputs.container_log_group = {
        value: e.containerLogs.logGroups.application.name,
        description: "The log group of every pod's stdout and stderr (aws logs tail <group> --follow)",
      };
    }
    if (this.ingressWebAcl) outputs.ingress_web_acl_arn = { value: this.ingressWebAcl.arn, description: "The Ingress ALB's WAF web ACL" };
    if (this.ingressAccessLogs) outputs.ingress_access_log_bucket = { value: this.ingressAccessLogs.name, description: "The Ingress ALB's access-log bucket" };
    for (const [id, o] of Object.entries(outputs)) new TerraformOutput(this, id, o);
  }
}
