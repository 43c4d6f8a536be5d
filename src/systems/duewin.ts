import { NetworkStack } from "../stacks/network-stack";
import { SystemDefinition } from "./system";

/**
 * Duewin backend (seed 003): RDS MySQL and ElastiCache Redis in isolated subnets, an ALB
 * on 80/443 to port 3000, an ASG 2-10, Route 53, CloudFront and VPC flow logs.
 */
export const duewin: SystemDefinition = {
  name: "duewin",
  description: "Duewin: ALB -> ASG 2-10 on port 3000, RDS MySQL, Redis, Route 53, CloudFront",
  preset: () => ({
    project: "duewin",
    region: "us-east-1",
    network: { cidr: "10.10.0.0/16" },
  }),
  build: (scope, context) => [new NetworkStack(scope, context)],
};
