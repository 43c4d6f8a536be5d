import { Construct } from "constructs";
import { Annotations, Fn, TerraformOutput } from "cdktf";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ConfigError } from "../config/errors";
import { partitionOf } from "../config/regions";
import { EksCluster } from "../constructs/eks";
import { KubernetesWorkloads } from "../constructs/k8s-workloads";
import { Naming } from "../lib/naming";
import { ResolvedSystemConfig } from "../config/resolve";
import { commonTags, StackContext, stackBackend } from "./aws-stack";
import { BaseStack } from "./base-stack";

/**
 * The workloads layer: the system's Kubernetes objects ({@link KubernetesWorkloads}) on
 * the cluster of the EKS layer. The kubernetes provider reads the cluster's endpoint and
 * CA from the EKS stack and authenticates with `aws eks get-token` (the AWS CLI must be
 * on the PATH of whoever applies, with an identity that has cluster access).
 *
 * The hashicorp/kubernetes provider is not in this project's offline mirror: the stack is
 * synthesized and unit-tested, but not validated or planned by the harness.
 */
export class WorkloadsStack extends BaseStack {
  public readonly config: ResolvedSystemConfig;
  public readonly naming: Naming;
  public readonly workloads: KubernetesWorkloads;

  /**
   * @param ingress the AWS side of the Ingress's ALB, from the EKS stack: its web ACL and access-log bucket
   */
  constructor(scope: Construct, context: StackContext, eks: EksCluster, ingress: { readonly webAclArn?: string; readonly accessLogBucket?: string } = {}) {
    const name = `${context.naming.prefix}-workloads`;
    super(scope, name, stackBackend(context.config, name));
    this.config = context.config;
    this.naming = context.naming;
    const { config } = context;
    const settings = config.workloads;
    if (!settings || !config.eks) throw new ConfigError("workloads", settings, "is required to build a workloads stack, with eks", 'configure "eks" and "workloads"');

    new KubernetesProvider(this, "kubernetes", {
      host: eks.cluster.endpoint,
      clusterCaCertificate: Fn.base64decode(eks.certificateAuthorityData),
      exec: [
        {
          apiVersion: "client.authentication.k8s.io/v1beta1",
          command: "aws",
          args: ["eks", "get-token", "--cluster-name", eks.cluster.name, "--region", config.region],
        },
      ],
    });

    const accountId = config.accountId ?? eks.accountId;
    const dnsSuffix = partitionOf(config.region) === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
    this.workloads = new KubernetesWorkloads(this, "workloads", {
      project: config.project,
      ecrRegistry: `${accountId}.dkr.ecr.${config.region}.${dnsSuffix}`,
      nodePoolTaints: Object.fromEntries(Object.entries(config.eks.nodeGroups).map(([name, group]) => [name, group.taints])),
      loadBalancerTags: commonTags(config),
      deletionProtection: config.deletionProtection,
      ingressWebAclArn: ingress.webAclArn,
      ingressAccessLogBucket: ingress.accessLogBucket,
      settings,
    });

    const floating = Object.entries(settings.apps).filter(([, app]) => (app.image.tag ?? settings.imageTag) === "latest").map(([name]) => name);
    if (config.environment !== "dev" && floating.length > 0) {
      Annotations.of(this).addWarning(
        `${floating.join(", ")} run the mutable image tag "latest"; pin workloads.imageTag (e.g. to the git SHA your pipeline builds)`,
      );
    }

    new TerraformOutput(this, "namespace", { value: this.workloads.namespaceName, description: "The namespace of the workloads" });
    new TerraformOutput(this, "secret_name", { value: this.workloads.secretName, description: "The Secret to put the apps' secret values in (kubectl; docs/eks.md)" });
    new TerraformOutput(this, "deployments", {
      value: Object.values(this.workloads.apps).map((a) => a.deployment.metadata.name),
      description: "The Deployments, for kubectl rollout status",
    });
  }
}
