import { Naming } from "./naming";

/**
 * The custom CloudWatch metric that instances publish for certificates kept in Secrets
 * Manager (Joblet's `joblet/*`), which ACM's `DaysToExpiry` cannot see: its namespace, name
 * and dimension are one fact, shared by the publishing boot script, the publisher's
 * `cloudwatch:PutMetricData` grant and the alarms.
 */
export const SECRET_CERTIFICATE_METRIC = {
  metricName: "DaysToExpiry",
  /** The dimension naming the secret, e.g. `SecretId=joblet/ca-cert`. */
  dimension: "SecretId",
} as const;

/** The namespace of a system's certificate metrics: `<project>-<environment>/certificates`. */
export function secretCertificateNamespace(naming: Naming): string {
  return `${naming.prefix}/certificates`;
}

/** What a service publishes: the namespace and the secrets holding one PEM certificate each. */
export interface CertificateMetrics {
  readonly namespace: string;
  readonly secrets: readonly string[];
}
