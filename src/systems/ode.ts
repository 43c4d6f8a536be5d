import { EnvironmentName } from "../config/environments";
import { SystemConfigInput } from "../config/system-config";
import { composeSystem } from "./compose";
import { Flow, SystemContract, onRotation } from "../contracts";
import { SystemDefinition } from "./system";
import { workloadName } from "../lib/naming";
import { CONTAINER_LOG_GROUPS, CONTAINER_LOGS_NAMESPACE, CONTAINER_LOGS_SERVICE_ACCOUNT, NODE_METADATA_ACTIONS, containerLogGroupName } from "../constructs/eks/container-logs";

/** The port ODE's API listens on, as its own manifest (k8s/base/01-api.yaml) runs it. */
const API_PORT = 8080;

/** The Kubernetes namespace of ODE's apps. */
const NAMESPACE = "ode";

/** Days to keep the EKS control-plane logs, like the flow logs of each environment. */
const LOG_RETENTION: Readonly<Record<EnvironmentName, 30 | 90 | 365>> = { dev: 30, staging: 90, prod: 365 };

/**
 * What each app does in AWS, through its own pod identity. The document names the buckets
 * (documents, exports, fonts) but not who uses them; chosen here from what each app is:
 * - api: takes uploads and serves documents (documents read/write), serves finished
 *   exports for download (exports read), enqueues jobs in Redis and keeps state in the
 *   database;
 * - worker: renders queued jobs: reads the source documents and the fonts, writes the
 *   exports, takes jobs from Redis and records them in the database;
 * - viewer: renders documents in the browser from what the api serves; it needs only the
 *   fonts it hands the browser (fonts read), no database, no Redis.
 * The document's Kubernetes Secret with copied `database-url` and `redis-url` is gone: the
 * apps read the database's master secret when they connect (RDS rotates it every 7 days)
 * and authenticate to Redis with IAM, so no copied credential can go stale.
 */
const APP_AWS = {
  api: { buckets: { documents: "read_write", exports: "read", fonts: "read" }, database: true, redis: true },
  worker: { buckets: { documents: "read", exports: "read_write", fonts: "read" }, database: true, redis: true },
  viewer: { buckets: { fonts: "read" } },
} as const;

/**
 * ODE, the Oxidized Document Engine (seed 004): a VPC over 3 AZs with public, private and
 * isolated subnets and 3 NAT gateways, EKS (the document's 1.29, run as 1.35), RDS PostgreSQL, ElastiCache Redis, S3, ECR,
 * and its Terraform state in S3 + DynamoDB.
 *
 * From the document: EKS 1.29 with 2 system nodes (t3.medium) and 3 worker nodes
 * (t3.large); namespace `ode` with the api, worker and viewer deployments, an ingress,
 * the HPAs below, metrics on 9090. Its Kubernetes Secret `ode-secrets` (database and Redis
 * URLs copied in by hand) is replaced by pod identities (APP_AWS).
 * From ODE's own manifests (k8s/base): the apps' ports and probes. Not in either, chosen here:
 * node group maximums, app resources, the viewer's fixed 2 replicas, the external metric's
 * name, and routing by path instead of the document's example hosts.
 */
export const ode: SystemDefinition = {
  name: "ode",
  description: "ODE: EKS 1.35 with HPAs, RDS PostgreSQL 15.4 Multi-AZ, Redis 7.0, S3, ECR",
  preset: (environment) => ({
    project: "ode",
    region: "us-east-1",
    // Documents are uploaded whole (multipart) to POST /v1/convert and /v1/convert-sync, past
    // the Common rule set's 8 KB body limit (ODE's crates/ode-api raises its own to 50 MiB).
    waf: { largeBodyPaths: ["/v1/convert"] },
    network: {
      cidr: "10.0.0.0/16",
      // The private tier hosts EKS nodes and pods: /20 per AZ leaves room for pod IPs.
      privateSubnets: { prefixLength: 20 },
      eksClusterNames: [`ode-${environment}-cluster`],
    },
    storage: {
      buckets: {
        // "Enable S3 lifecycle policies for older documents."
        documents: { lifecycle: { transitions: [{ days: 90, storageClass: "STANDARD_IA" }], noncurrentVersionExpirationDays: 90 } },
        exports: { lifecycle: { expirationDays: 30, noncurrentVersionExpirationDays: 7 } },
        fonts: { lifecycle: { noncurrentVersionExpirationDays: 30 } },
      },
    },
    // "All ECR repositories enforce image scanning": scan on push is the module default.
    // Dev pushes a moving "latest"; staging and prod deploy immutable release tags.
    registry: {
      repositories: Object.fromEntries(
        ["api", "worker", "viewer"].map((key) => [key, { imageTagMutability: environment === "dev" ? ("MUTABLE" as const) : ("IMMUTABLE" as const) }]),
      ),
    },
    rds: {
      engine: "postgres",
      // The document's 15.4: RDS no longer creates that minor, so the major version is pinned
      // and RDS keeps the minor current (see src/constructs/rds/engines.ts).
      engineVersion: "15",
      instanceClass: "db.t3.medium",
      multiAz: true,
      backupRetentionDays: 7,
      databaseName: "odedb",
      masterUsername: "odeadmin",
    },
    redis: {
      engineVersion: "7.0",
      nodeType: "cache.t3.medium",
      numCacheClusters: 2,
      // Redis holds the worker queue: never evict a queued job to make room.
      parameters: { "maxmemory-policy": "noeviction" },
    },
    // The document creates its state bucket and lock table by hand; here they are the
    // `ode-<env>-state` stack. Prod keeps the document's names, so the existing bucket and
    // table can be imported (docs/state.md).
    stateBackend:
      environment === "prod"
        ? { enabled: true, bucketName: "ode-terraform-state", lockTableName: "ode-terraform-locks" }
        : { enabled: true },
    eks: {
      // The document's 1.29 left EKS standard support on 2025-03-23 and extended support on
      // 2026-03-23: EKS no longer creates it. 1.35 is in standard support until 2027-03-27
      // (src/lib/support-calendar.ts).
      version: "1.35",
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
      namespace: NAMESPACE,
      apps: {
        api: {
          image: { repository: `ode-${environment}/api` },
          port: API_PORT,
          // The API listens on PORT, 3000 when unset (crates/ode-api/src/main.rs); its manifest sets 8080.
          env: { PORT: String(API_PORT) },
          nodePool: "worker",
          resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { memory: "1Gi" } },
          aws: APP_AWS.api,
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
          image: { repository: `ode-${environment}/worker` },
          port: null,
          nodePool: "worker",
          resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi" } },
          aws: APP_AWS.worker,
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
          image: { repository: `ode-${environment}/viewer` },
          // As ODE's own manifest (k8s/base/03-viewer-ingress.yaml) runs it: on 3000, probed on /,
          // calling the API through its Service.
          port: 3000,
          healthPath: "/",
          env: { API_URL: `http://${workloadName("ode", "api")}.${NAMESPACE}.svc.cluster.local`, NODE_ENV: "production" },
          nodePool: "worker",
          replicas: 2,
          resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
          aws: APP_AWS.viewer,
        },
      },
      ingress: {
        // The document routes its placeholder host api.ode.example.com to the API; no real
        // domain exists here, so the API is routed by its own paths (it serves them from its root,
        // with no prefix an ALB could strip: crates/ode-api): conversions and job status under
        // /v1, accounts under /auth, administration under /admin, its API docs under /docs (which
        // loads /api-docs/openapi.json), its upload page under /ui. Everything else goes to the
        // viewer. To route by host instead, replace the rules in your overrides (workloads.ingress.rules).
        rules: [...["/v1", "/auth", "/admin", "/docs", "/api-docs", "/ui"].map((path) => ({ app: "api", path })), { app: "viewer" }],
      },
    },
  }) satisfies SystemConfigInput,
  contract: (environment) => odeContract(environment),
  build: (scope, context) => composeSystem(scope, context).stacks,
};

/**
 * ODE's runtime contract. The kubelet pulls the three images with the node role. Each app's
 * pod identity carries what APP_AWS says the app does (the document names the buckets, not who
 * uses them; the choice and its reasons are at APP_AWS): the api and the worker connect to
 * PostgreSQL as the master user and to Redis (the worker queue) as the cache user `app` with IAM
 * authentication. RDS rotates the master password every 7 days, so they get the master secret's
 * ARN in `DATABASE_SECRET_ARN` and read it when they connect. The AWS Load Balancer Controller
 * runs with its published policy. The `amazon-cloudwatch-observability` add-on (eks.containerLogs,
 * on by default) ships every pod's stdout and stderr: its Fluent Bit writes the application,
 * dataplane and host groups, its CloudWatch agent Container Insights' performance events, both
 * into groups the eks stack creates, as `amazon-cloudwatch/cloudwatch-agent`.
 */
function odeContract(environment: EnvironmentName): SystemContract {
  const database: Flow[] = [
    { kind: "secret-read", secret: { databaseMaster: true }, refresh: onRotation("DATABASE_SECRET_ARN") },
    { kind: "database", auth: { kind: "password" } },
    { kind: "cache", user: "app", auth: "iam" },
  ];
  const buckets = (app: keyof typeof APP_AWS): Flow[] =>
    Object.entries(APP_AWS[app].buckets).map(([bucket, access]) => ({ kind: "bucket", bucket, access }));
  return {
    principals: [
      {
        principal: { kind: "eks-node" },
        flows: (["api", "worker", "viewer"] as const).map((a) => ({ kind: "image-pull" as const, repository: `ode-${environment}/${a}` })),
        managedPolicies: [
          { name: "AmazonEKSWorkerNodePolicy", why: "the node joins the cluster" },
          { name: "AmazonEKS_CNI_Policy", why: "the VPC CNI assigns pod IPs (it runs with the node role)" },
          { name: "AmazonEC2ContainerRegistryReadOnly", why: "the kubelet pulls the pods' images; the rung simulates this policy's pull grants" },
        ],
      },
      { principal: { kind: "pod", app: "api" }, flows: [...database, ...buckets("api")] },
      { principal: { kind: "pod", app: "worker" }, flows: [...database, ...buckets("worker")] },
      { principal: { kind: "pod", app: "viewer" }, flows: buckets("viewer") },
      {
        principal: { kind: "service-account", namespace: CONTAINER_LOGS_NAMESPACE, name: CONTAINER_LOGS_SERVICE_ACCOUNT },
        flows: [
          ...CONTAINER_LOG_GROUPS.map((group) => ({
            kind: "logs" as const,
            logGroup: containerLogGroupName(`ode-${environment}-cluster`, group),
            why:
              group === "performance"
                ? "the CloudWatch agent's Container Insights performance events (it needs a pipeline to run: classic metrics, no Application Signals)"
                : `Fluent Bit's ${group} logs: without shipping, a pod's stdout and stderr are lost when the pod or its node is replaced`,
          })),
          { kind: "describe", actions: NODE_METADATA_ACTIONS, why: "Container Insights labels its metrics with the node's Auto Scaling group (EC2 tags) and EBS volumes" },
        ],
      },
      {
        principal: { kind: "service-account", namespace: "kube-system", name: "aws-load-balancer-controller" },
        flows: [],
        publishedPolicy: {
          name: "AWS Load Balancer Controller IAM policy",
          source: "https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/docs/install/iam_policy.json",
        },
      },
    ],
  };
}
