import { Construct } from "constructs";
import { Annotations, Fn, TerraformOutput } from "cdktf";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { ConfigError } from "../lib/errors";
import { AppConfig } from "../constructs/k8s-workloads/settings";
import { REDIS_PORT } from "../constructs/elasticache/redis";
import { SecureBucket } from "../constructs/storage/secure-bucket";
import { DataStack } from "./data-stack";
import { partitionOf } from "../lib/regions";
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
/** What the workloads' pods are told about: the storage buckets and the data layer. */
export interface WorkloadResources {
  readonly buckets?: Readonly<Record<string, SecureBucket>>;
  readonly data?: DataStack;
  /** The Ingress ALB's web ACL (built in the EKS stack). @default none */
  readonly ingressWebAclArn?: string;
  /** The Ingress ALB's access-log bucket (built in the EKS stack). @default none */
  readonly ingressAccessLogBucket?: string;
}

/**
 * The environment locating an app's AWS resources: `AWS_REGION`; `S3_BUCKET_<KEY>` per
 * bucket; `DATABASE_HOST`, `_PORT`, `_NAME` and `DATABASE_SECRET_ARN` (the app reads the
 * master credentials from Secrets Manager with its pod identity when it connects, so RDS's
 * rotation never leaves it a stale copy); `REDIS_HOST`, `_PORT`, `REDIS_USER`, `REDIS_CACHE_NAME`,
 * with `REDIS_TLS=true` and `REDIS_AUTH=iam` (the app signs an IAM auth token as that user for
 * that replication group).
 */
export function awsEnvironment(config: ResolvedSystemConfig, aws: NonNullable<AppConfig["aws"]>, resources: WorkloadResources): Record<string, string> {
  const env: Record<string, string> = { AWS_REGION: config.region };
  for (const key of Object.keys(aws.buckets).sort()) {
    const bucket = resources.buckets?.[key];
    if (!bucket) throw new ConfigError(`aws.buckets.${key}`, key, "is not a bucket of the storage layer", "add it to storage.buckets");
    env[`S3_BUCKET_${key.toUpperCase().replace(/-/g, "_")}`] = bucket.name;
  }
  const db = resources.data?.database;
  if (aws.database) {
    if (!db) throw new ConfigError("aws.database", true, "needs the data layer's database", "configure rds");
    Object.assign(env, {
      DATABASE_HOST: db.instance.address,
      DATABASE_PORT: String(db.port),
      ...(config.rds?.databaseName ? { DATABASE_NAME: config.rds.databaseName } : {}),
      DATABASE_SECRET_ARN: db.masterUserSecretArn,
    });
  }
  const redis = resources.data?.redis;
  if (aws.redis) {
    if (!redis?.users.app) throw new ConfigError("aws.redis", true, "needs the data layer's Redis with an `app` user", "configure redis");
    Object.assign(env, {
      REDIS_HOST: redis.replicationGroup.primaryEndpointAddress,
      REDIS_PORT: String(REDIS_PORT),
      REDIS_USER: redis.users.app.userName,
      // The IAM auth token is signed for the replication group (the "cache name") and the user.
      REDIS_CACHE_NAME: redis.replicationGroup.replicationGroupId,
      REDIS_TLS: "true",
      REDIS_AUTH: "iam",
    });
  }
  return env;
}

export class WorkloadsStack extends BaseStack {
  public readonly config: ResolvedSystemConfig;
  public readonly naming: Naming;
  public readonly workloads: KubernetesWorkloads;

  /**
   * @param resources the storage buckets and the data layer the apps' `aws` settings name,
   * read through cross-stack references into the pods' environment; and the AWS side of the
   * Ingress's ALB, from the EKS stack: its web ACL and access-log bucket
   */
  constructor(scope: Construct, context: StackContext, eks: EksCluster, resources: WorkloadResources = {}) {
    const name = `${context.naming.prefix}-workloads`;
    super(scope, name, stackBackend(context.config, name));
    this.config = context.config;
    this.naming = context.naming;
    const { config } = context;
    const settings = config.workloads;
    if (!settings || !config.eks) throw new ConfigError("workloads", settings, "is required to build a workloads stack, with eks", 'configure "eks" and "workloads"');

    this.addProvider(eks);
    const accountId = config.accountId ?? eks.accountId;
    const dnsSuffix = partitionOf(config.region) === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
    this.workloads = new KubernetesWorkloads(this, "workloads", {
      project: config.project,
      ecrRegistry: `${accountId}.dkr.ecr.${config.region}.${dnsSuffix}`,
      nodePoolTaints: Object.fromEntries(Object.entries(config.eks.nodeGroups).map(([name, group]) => [name, group.taints])),
      loadBalancerTags: commonTags(config),
      deletionProtection: config.deletionProtection,
      ingressWebAclArn: resources.ingressWebAclArn,
      ingressAccessLogBucket: resources.ingressAccessLogBucket,
      settings,
      awsEnv: Object.fromEntries(
        Object.entries(settings.apps)
          .filter(([, app]) => app.aws)
          .map(([name, app]) => [name, awsEnvironment(config, app.aws!, resources)]),
      ),
    });

    this.warnOnFloatingTags(settings);
    this.addOutputs();
  }

  /** The kubernetes provider, authenticated to the cluster with `aws eks get-token`. */
  private addProvider(eks: EksCluster): void {
    new KubernetesProvider(this, "kubernetes", {
      host: eks.cluster.endpoint,
      clusterCaCertificate: Fn.base64decode(eks.certificateAuthorityData),
      exec: [
        {
          apiVersion: "client.authentication.k8s.io/v1beta1",
          command: "aws",
          args: ["eks", "get-token", "--cluster-name", eks.cluster.name, "--region", this.config.region],
        },
      ],
    });
  }

  /** Outside dev, a warning naming the apps that run the mutable tag `latest`. */
  private warnOnFloatingTags(settings: NonNullable<ResolvedSystemConfig["workloads"]>): void {
    const floating = Object.entries(settings.apps).filter(([, app]) => (app.image.tag ?? settings.imageTag) === "latest").map(([name]) => name);
    if (this.config.environment !== "dev" && floating.length > 0) {
      Annotations.of(this).addWarning(
        `${floating.join(", ")} run the mutable image tag "latest"; pin workloads.imageTag (e.g. to the git SHA your pipeline builds)`,
      );
    }
  }

  private addOutputs(): void {
    new TerraformOutput(this, "namespace", { value: this.workloads.namespaceName, description: "The namespace of the workloads" });
    new TerraformOutput(this, "secret_name", { value: this.workloads.secretName, description: "The Secret to put the apps' secret values in (kubectl; docs/eks.md)" });
    new TerraformOutput(this, "deployments", {
      value: Object.values(this.workloads.apps).map((a) => a.deployment.metadata.name),
      description: "The Deployments, for kubectl rollout status",
    });
  }
}
