import { computeStacks } from "../stacks/compute-stack";
import { NetworkStack } from "../stacks/network-stack";
import { SystemDefinition } from "./system";
import { presetAlbTls } from "./tls-preset";

/**
 * Duewin backend (seed 003): RDS MySQL and ElastiCache Redis in isolated subnets, an ALB
 * on 80/443 to port 3000, an ASG 2-10, Route 53, CloudFront and VPC flow logs.
 */
export const duewin: SystemDefinition = {
  name: "duewin",
  description: "Duewin: ALB -> ASG 2-10 on port 3000, RDS MySQL, Redis, Route 53, CloudFront",
  preset: (environment) => ({
    project: "duewin",
    region: "us-east-1",
    network: { cidr: "10.10.0.0/16" },
    compute: {
      loadBalancer: { type: "alb", tls: presetAlbTls(environment, "us-east-1") },
      services: {
        app: {
          // The Node.js backend as a container; DB and Redis settings come from the secret at
          // boot, never from a .env baked into user data as in the document.
          app: {
            type: "container",
            repository: "duewin-backend",
            secrets: ["duewin/backend"],
            environment: { NODE_ENV: "production", SERVER_PORT: "3000" },
          },
          port: 3000,
          instanceType: "t3.small",
          minSize: 2,
          maxSize: 10,
          desiredCapacity: 2,
          scaling: { targetTracking: { cpu: { targetValue: 70 } } },
        },
      },
    },
  }),
  build: (scope, context) => {
    const network = new NetworkStack(scope, context);
    return [network, ...computeStacks(scope, context, network.network)];
  },
};
