import { NetworkStack } from "../stacks/network-stack";
import { SystemDefinition } from "./system";

/**
 * ODE, the Oxidized Document Engine (seed 004): a VPC over 3 AZs with public, private and
 * isolated subnets and 3 NAT gateways, EKS 1.29, RDS PostgreSQL, ElastiCache Redis, S3, ECR,
 * and its Terraform state in S3 + DynamoDB.
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
    // The document creates its state bucket and lock table by hand; here they are the
    // `ode-<env>-state` stack. Prod keeps the document's names, so the existing bucket and
    // table can be imported (docs/state.md).
    stateBackend:
      environment === "prod"
        ? { enabled: true, bucketName: "ode-terraform-state", lockTableName: "ode-terraform-locks" }
        : { enabled: true },
  }),
  build: (scope, context) => [new NetworkStack(scope, context)],
};
