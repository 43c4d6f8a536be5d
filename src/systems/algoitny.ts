import { NetworkStack } from "../stacks/network-stack";
import { SystemDefinition } from "./system";

/**
 * AlgoItny (seed 001): an API ASG behind an ALB and a Celery worker ASG, in
 * ap-northeast-2, consuming the VPC, ECR, databases and ALB from separate states.
 */
export const algoitny: SystemDefinition = {
  name: "algoitny",
  description: "AlgoItny: API ASG (t3.medium) behind an ALB + Celery worker ASG (t3.large), ap-northeast-2",
  preset: () => ({
    project: "algoitny",
    region: "ap-northeast-2",
    network: { cidr: "10.30.0.0/16", isolatedSubnets: null },
  }),
  build: (scope, context) => [new NetworkStack(scope, context)],
};
