import { composeSystem } from "./compose";
import { SystemDefinition } from "./system";

/**
 * ODE, the Oxidized Document Engine (seed 004): a VPC over 3 AZs with public, private and
 * isolated subnets and 3 NAT gateways, EKS 1.29, RDS PostgreSQL, ElastiCache Redis, S3, ECR,
 * and its Terraform state in S3 + DynamoDB.
 */
export const ode: SystemDefinition = {
  name: "ode",
  description: "ODE: EKS 1.29 with HPAs, RDS PostgreSQL 15 Multi-AZ, Redis 7.0, S3, ECR",
  preset: (environment) => ({
    project: "ode",
    region: "us-east-1",
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
    registry: { repositories: { api: {}, worker: {}, viewer: {} } },
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
  }),
  build: (scope, context) => composeSystem(scope, context).stacks,
};
