import { NetworkStack } from "../stacks/network-stack";
import { SystemDefinition } from "./system";

/**
 * Joblet (seed 000): a gRPC job runner, an ASG 2-10 behind an NLB with TLS passthrough
 * on 443, sharing CA and client certificates through Secrets Manager.
 */
export const joblet: SystemDefinition = {
  name: "joblet",
  description: "Joblet: NLB TCP/443 passthrough -> ASG 2-10, certificates in Secrets Manager, CloudTrail",
  preset: () => ({
    project: "joblet",
    region: "us-east-1",
    network: { cidr: "10.20.0.0/16", isolatedSubnets: null },
  }),
  build: (scope, context) => [new NetworkStack(scope, context)],
};
