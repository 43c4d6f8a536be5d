import { NetworkStack } from "../stacks/network-stack";
import { SystemDefinition } from "./system";

/**
 * MueJam Library (seed 002): a VPC over 3 AZs with public and private subnets and a NAT
 * gateway per AZ, an ALB and an ASG behind CloudFront.
 */
export const muejam: SystemDefinition = {
  name: "muejam",
  description: "MueJam Library: ALB + ASG 2-10 with step scaling, behind CloudFront",
  preset: () => ({
    project: "muejam",
    region: "us-east-1",
    network: { cidr: "10.0.0.0/16", isolatedSubnets: null },
  }),
  build: (scope, context) => [new NetworkStack(scope, context)],
};
