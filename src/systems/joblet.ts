import { NetworkStack } from "../stacks/network-stack";
import { dataTierStacks } from "./data-tier";
import { SystemDefinition } from "./system";

/**
 * Joblet (seed 000): a gRPC job runner, an ASG 2-10 behind an NLB with TLS passthrough
 * on 443, sharing CA and client certificates through Secrets Manager, audited by
 * CloudTrail with alarms on secret access and certificate expiry.
 *
 * The certificate secrets are the document's `joblet/*` in production and
 * `joblet-<environment>/*` elsewhere, so that environments sharing an account never fall
 * under each other's prefix-scoped grants.
 */
export const joblet: SystemDefinition = {
  name: "joblet",
  description: "Joblet: NLB TCP/443 passthrough -> ASG 2-10, certificates in Secrets Manager, CloudTrail",
  preset: (environment) => {
    const prod = environment === "prod";
    const prefix = prod ? "joblet/" : `joblet-${environment}/`;
    return {
      project: "joblet",
      region: "us-east-1",
      network: { cidr: "10.20.0.0/16", isolatedSubnets: null },
      storage: { keyDeletionWindowInDays: prod ? 30 : 7 },
      secrets: {
        prefix,
        entries: {
          [`${prefix}ca-cert`]: "Shared CA certificate (PEM)",
          [`${prefix}ca-key`]: "Shared CA private key (PEM)",
          [`${prefix}client-cert`]: "Shared client certificate (PEM)",
          [`${prefix}client-key`]: "Shared client private key (PEM)",
        },
        recoveryWindowInDays: prod ? 30 : 7,
      },
      audit: {
        // "Alert on unexpected access": more than 100 GetSecretValue calls in 300 s.
        secretAccessAlarm: { threshold: 100, periodSeconds: 300 },
        // "CloudWatch alarm 30 days before expiry".
        certificateExpiry: { thresholdDays: 30 },
        keyDeletionWindowInDays: prod ? 30 : 7,
      },
    };
  },
  build: (scope, context) => {
    const network = new NetworkStack(scope, context);
    return [network, ...dataTierStacks(scope, context, network)];
  },
};
