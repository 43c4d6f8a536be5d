import { EnvironmentName } from "../config/environments";
import { SystemConfigInput } from "../config/system-config";
import { composeSystem } from "./compose";
import { AT_BOOT, SystemContract } from "../contracts";
import { backendNames } from "./backend-names";
import { SystemDefinition } from "./system";
import { presetHasCustomNames } from "./edge-preset";
import { presetAlbTls } from "./tls-preset";

/**
 * MueJam Library (seed 002): a VPC over 3 AZs with public and private subnets and a NAT
 * gateway per AZ, an ALB and an ASG behind CloudFront (docs/edge.md).
 */
export const muejam: SystemDefinition = {
  name: "muejam",
  description: "MueJam Library: ALB + ASG 2-10 with step scaling, behind CloudFront",
  preset: (environment) => {
    const names = backendNames("muejam", environment);
    return {
    project: "muejam",
    region: "us-east-1",
    // A chapter is saved whole, as one JSON body (PUT /v1/chapters/<id>/update; created under
    // /v1/stories/<id>/chapters/create), also served under /api/v1/: past 8 KB at about 1,300 words.
    waf: { largeBodyPaths: ["/v1/chapters/", "/v1/stories/", "/api/v1/chapters/", "/api/v1/stories/"] },
    network: { cidr: "10.0.0.0/16", isolatedSubnets: null },
    // The app's image and its settings, read at boot. Dev pushes a moving "latest".
    registry: { repositories: { backend: { repositoryName: names.repository, imageTagMutability: environment === "dev" ? "MUTABLE" : "IMMUTABLE" } } },
    secrets: { prefix: names.secretPrefix, entries: { [names.secret]: "Backend settings as JSON (database and cache URLs, keys)" } },
    compute: {
      // HTTPS with TLS 1.2+, HTTP -> HTTPS redirect; target group defaults are MueJam's
      // (/health every 30 s, timeout 5 s, 2 healthy, 3 unhealthy, sticky sessions, 60 s draining).
      loadBalancer: { type: "alb", tls: presetAlbTls(environment) },
      services: {
        app: {
          // Its ALLOWED_HOSTS (the names viewers reach it by) comes with its settings secret
          // (docs/data.md); each instance's address is appended, as the ALB's health checks send it.
          app: { type: "container", repository: names.repository, secrets: [names.secret], privateIpIn: ["ALLOWED_HOSTS"] },
          port: 8000,
          instanceType: "t3.medium",
          minSize: 2,
          maxSize: 10,
          desiredCapacity: 2,
          // +2 above 70 % CPU, -1 below 30 %, each for 4 minutes, 5-minute cooldown.
          scaling: {
            step: {
              scaleOut: { cpuAbove: 70, adjustment: 2 },
              scaleIn: { cpuBelow: 30, adjustment: -1 },
              periodSeconds: 60,
              evaluationPeriods: 4,
              cooldownSeconds: 300,
            },
            targetTracking: { cpu: null },
          },
        },
      },
    },
    edge: edgePreset(environment),
  };
  },
  contract: (environment) => muejamContract(environment),
  build: (scope, context) => composeSystem(scope, context).stacks,
};

/**
 * MueJam's runtime contract. The document has no database or cache of its own in these stacks:
 * the app pulls its image and reads its settings secret (its database and cache URLs and keys) at
 * boot; nothing rotates that secret. Chosen here: logs and CloudWatch agent metrics.
 */
function muejamContract(environment: EnvironmentName): SystemContract {
  const names = backendNames("muejam", environment);
  return {
    principals: [
      {
        principal: { kind: "instance", service: "app" },
        flows: [
          { kind: "image-pull", repository: names.repository },
          { kind: "secret-read", secret: { name: names.secret }, refresh: AT_BOOT },
          { kind: "logs", logGroup: `/aws/ec2/muejam-${environment}-app` },
          { kind: "metrics", namespace: "CWAgent" },
        ],
        managedPolicies: [{ name: "AmazonSSMManagedInstanceCore", why: "Session Manager instead of SSH for operators" }],
      },
    ],
  };
}

/**
 * "CloudFront CDN" in front of the ALB: uncached, every viewer header forwarded. Outside
 * dev, the app's own name `app.<your domain>` (edge.hostedZone is a required input, see
 * ./edge-preset.ts) with its us-east-1 certificate and alias records.
 */
function edgePreset(environment: EnvironmentName): SystemConfigInput["edge"] {
  if (!presetHasCustomNames(environment)) return { cdn: { defaultOrigin: "loadBalancer" } };
  return { cdn: { defaultOrigin: "loadBalancer", domainNames: ["app"] } };
}
