import { TerraformStack } from "cdktf";
import { EnvironmentName } from "../config/environments";
import { SystemConfigInput } from "../config/system-config";
import { EksStack } from "../stacks/eks-stack";
import { NetworkStack } from "../stacks/network-stack";
import { WorkloadsStack } from "../stacks/workloads-stack";
import { SystemDefinition } from "./system";

/** Days to keep the EKS control-plane logs, like the flow logs of each environment. */
const LOG_RETENTION: Readonly<Record<EnvironmentName, 30 | 90 | 365>> = { dev: 30, staging: 90, prod: 365 };

/** What the document says about the app pods: a Secret named ode-secrets with these keys. */
const SECRET_ENV = { DATABASE_URL: "database-url", REDIS_URL: "redis-url" };

/**
 * ODE, the Oxidized Document Engine (seed 004): a VPC over 3 AZs with public, private and
 * isolated subnets and 3 NAT gateways, EKS 1.29, RDS PostgreSQL, ElastiCache Redis, S3, ECR.
 *
 * From the document: EKS 1.29 with 2 system nodes (t3.medium) and 3 worker nodes
 * (t3.large); namespace `ode` with the api, worker and viewer deployments, an ingress,
 * the HPAs below, metrics on 9090, secrets in the Kubernetes Secret `ode-secrets`.
 * Not in the document, chosen here: node group maximums, app ports and resources, the
 * viewer's fixed 2 replicas, and the external metric's name.
 */
export const ode: SystemDefinition = {
  name: "ode",
  description: "ODE: EKS 1.29 with HPAs, RDS PostgreSQL 15.4 Multi-AZ, Redis 7.0, S3, ECR",
  preset: (environment) => ({
    project: "ode",
    region: "us-east-1",
    network: {
      cidr: "10.0.0.0/16",
      // The private tier hosts EKS nodes and pods: /20 per AZ leaves room for pod IPs.
      privateSubnets: { prefixLength: 20 },
      eksClusterNames: [`ode-${environment}-cluster`],
    },
    eks: {
      version: "1.29",
      logRetentionInDays: LOG_RETENTION[environment],
      kmsKeyDeletionWindowInDays: environment === "dev" ? 7 : 30,
      nodeGroups: {
        // Cluster add-ons only (CoreDNS and metrics-server tolerate CriticalAddonsOnly).
        system: {
          instanceTypes: ["t3.medium"],
          minSize: 2,
          maxSize: 4,
          desiredSize: 2,
          taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
        },
        worker: { instanceTypes: ["t3.large"], minSize: 3, maxSize: 10, desiredSize: 3 },
      },
      // metrics-server serves the CPU and memory metrics of the API's HPA.
      addons: { "vpc-cni": {}, "kube-proxy": {}, coredns: {}, "eks-pod-identity-agent": {}, "metrics-server": {} },
    },
    workloads: {
      namespace: "ode",
      secret: { name: "ode-secrets" },
      apps: {
        api: {
          port: 8080,
          nodePool: "worker",
          resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { memory: "1Gi" } },
          secretEnv: SECRET_ENV,
          // CPU > 70 % or memory > 80 %; up by up to 100 % every 60 s; down to 50 % every 60 s after 5 min.
          autoscaling: {
            minReplicas: 2,
            maxReplicas: 10,
            metrics: [
              { type: "cpu", averageUtilization: 70 },
              { type: "memory", averageUtilization: 80 },
            ],
            scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Percent", value: 100, periodSeconds: 60 }] },
            scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 50, periodSeconds: 60 }] },
          },
        },
        worker: {
          port: null,
          nodePool: "worker",
          resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } },
          secretEnv: SECRET_ENV,
          // SIGTERM, then 120 s to finish active jobs.
          terminationGracePeriodSeconds: 120,
          // Queue depth > 100; up by up to 100 % every 30 s but at most 4 pods; down to 50 % every 60 s after 10 min.
          autoscaling: {
            minReplicas: 2,
            maxReplicas: 20,
            metrics: [{ type: "external", name: "redis_queue_depth", value: "100" }],
            scaleUp: {
              stabilizationWindowSeconds: 0,
              selectPolicy: "Min",
              policies: [
                { type: "Percent", value: 100, periodSeconds: 30 },
                { type: "Pods", value: 4, periodSeconds: 30 },
              ],
            },
            scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: "Percent", value: 50, periodSeconds: 60 }] },
          },
        },
        viewer: {
          port: 8080,
          nodePool: "worker",
          replicas: 2,
          resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        },
      },
      ingress: {
        // The document's host for the API; set your own domain in your overrides.
        rules: [{ app: "api", host: "api.ode.example.com" }, { app: "viewer" }],
      },
    },
  }) satisfies SystemConfigInput,
  build: (scope, context) => {
    const network = new NetworkStack(scope, context);
    const stacks: TerraformStack[] = [network];
    if (context.config.eks) {
      const eks = new EksStack(scope, context, network.network);
      stacks.push(eks);
      if (context.config.workloads) stacks.push(new WorkloadsStack(scope, context, eks.eks));
    }
    return stacks;
  },
};
