import { composeSystem } from "./compose";
import { EnvironmentName } from "../config/environments";
import { AT_BOOT, SystemContract } from "../contracts";
import { SystemDefinition } from "./system";

/** Joblet's documented installer, run at boot with the document's settings. */
export const JOBLET_INSTALLER = "https://raw.githubusercontent.com/ehsaniara/joblet/main/scripts/ec2-user-data.sh";

/** The prefix of Joblet's shared certificate secrets. Joblet reads these fixed names. */
export const JOBLET_SECRET_PREFIX = "joblet/";

/** The DynamoDB table Joblet keeps job state in (its default `state.storage.dynamodb.table_name`). */
const JOBLET_TABLE = "joblet-jobs";

/** The secret the group's first instances race to write their id into (the first boot's election). */
const JOBLET_FIRST_BOOT = `${JOBLET_SECRET_PREFIX}first-boot`;

/** The log groups Joblet creates for job logs: its log group prefix `/joblet`. */
const JOBLET_LOG_GROUPS = "/joblet/*";
/** The CloudWatch namespace of Joblet's job metrics (its CloudWatch backend's default `metric_namespace`). */
const JOBLET_METRICS = "Joblet/Jobs";

/**
 * Joblet (seed 000): a gRPC job runner, an ASG 2-10 behind an NLB with TLS passthrough
 * on 443, sharing CA and client certificates through Secrets Manager, audited by
 * CloudTrail with alarms on secret access and certificate expiry.
 *
 * Joblet itself reads its certificates from the fixed names `joblet/*`, so every
 * environment uses them: each environment needs its own AWS account (`accountId`). Synth
 * enforces it (src/config/unique-names.ts): two Joblet environments planned together fail
 * unless their `accountId`s are set and differ.
 */
export const joblet: SystemDefinition = {
  name: "joblet",
  description: "Joblet: NLB TCP/443 passthrough -> ASG 2-10, certificates in Secrets Manager, CloudTrail",
  preset: (environment) => {
    const prod = environment === "prod";
    const prefix = JOBLET_SECRET_PREFIX;
    return {
      project: "joblet",
      region: "us-east-1",
      network: { cidr: "10.20.0.0/16", isolatedSubnets: null },
      // ENABLE_CLOUDWATCH=true has Joblet's installer keep job state in DynamoDB, in the table
      // Joblet names `joblet-jobs` (key jobId, TTL expiresAt), and job logs in CloudWatch Logs
      // under `/joblet`. The table is made here, with the project's protections.
      storage: { keyDeletionWindowInDays: prod ? 30 : 7, tables: { jobs: { tableName: JOBLET_TABLE, partitionKey: { name: "jobId" }, ttlAttribute: "expiresAt" } } },
      secrets: {
        prefix,
        entries: {
          [`${prefix}ca-cert`]: "Shared CA certificate (PEM)",
          [`${prefix}ca-key`]: "Shared CA private key (PEM)",
          [`${prefix}client-cert`]: "Shared client certificate (PEM)",
          [`${prefix}client-key`]: "Shared client private key (PEM)",
          [JOBLET_FIRST_BOOT]: "The first boot's election: the id of the instance that generated the shared certificates",
        },
      },
      compute: {
        // TCP 443 passthrough: the instances terminate TLS with the shared CA's certificates.
        loadBalancer: { type: "nlb", port: 443, tls: { enabled: false }, crossZone: true },
        services: {
          app: {
            app: {
              type: "script",
              installerUrl: JOBLET_INSTALLER,
              environment: { JOBLET_VERSION: "latest", JOBLET_SERVER_PORT: "443", ENABLE_CLOUDWATCH: "true", USE_SECRETS_MANAGER: "true" },
              // The installer generates the CA and client certificates when it finds the secrets
              // empty; the group's first instances boot together, so they take turns.
              // The winner's install takes minutes; the others wait at most 10 of them.
              firstBoot: { electionSecret: JOBLET_FIRST_BOOT, waitFor: JOBLET_SECRETS, timeoutSeconds: 600 },
              // Its installer exits 0 whatever happened: the unit it installs says whether it did.
              systemdUnit: "joblet",
            },
            // The others' wait and install, before the NLB's health checks count (synth checks it).
            healthCheckGracePeriodSeconds: 900,
            // Each instance signs its own server certificate at install, valid 365 days, which the
            // NLB's TCP health check cannot see expire: instances are replaced well before.
            maxInstanceLifetimeDays: 180,
            port: 443,
            instanceType: "t3.medium",
            minSize: 2,
            maxSize: 10,
            desiredCapacity: 2,
            // A refresh finds the shared secrets stored: one install, not the first boot's wait.
            instanceRefresh: { minHealthyPercentage: 50, instanceWarmupSeconds: 300 },
            scaling: {
              step: { scaleOut: { cpuAbove: 70, adjustment: 2 }, scaleIn: { cpuBelow: 30, adjustment: -1 } },
              targetTracking: { cpu: null },
            },
            // The first instance creates the shared certificates; all read them.
            // Job state, logs and metrics (ENABLE_CLOUDWATCH): the table, the log groups Joblet makes, its namespace.
            grants: { secrets: [{ name: `${prefix}*`, access: "read_write" }], dynamodbTables: [{ name: JOBLET_TABLE, access: "read_write" }], logGroups: [JOBLET_LOG_GROUPS], metricNamespaces: [JOBLET_METRICS], metricReads: true },
            // Scenario 3: blue serves, green stands by at zero. To release, give green the new
            // version and blue's sizes; once healthy, set blue to 0/0/0.
            blueGreen: {
              mode: "shared_target_group",
              blue: { environment: { JOBLET_VERSION: "latest" } },
              green: { minSize: 0, maxSize: 0, desiredCapacity: 0, environment: { JOBLET_VERSION: "latest" } },
            },
          },
        },
      },
      audit: {
        // "Alert on unexpected access": more than 100 GetSecretValue calls in 300 s.
        secretAccessAlarm: { threshold: 100, periodSeconds: 300 },
        // "CloudWatch alarm 30 days before expiry": of the shared CA and client certificates,
        // which live in Secrets Manager, not ACM; the instances publish their days to expiry.
        certificateExpiry: {
          thresholdDays: 30,
          // Joblet's certificates live in Secrets Manager, not ACM: ACM's expiry events would never fire.
          acmEvents: false,
          secretCertificates: { secrets: [`${prefix}ca-cert`, `${prefix}client-cert`], publishedBy: "app" },
        },
        keyDeletionWindowInDays: prod ? 30 : 7,
      },
    };
  },
  contract: (environment) => jobletContract(environment),
  build: (scope, context) => composeSystem(scope, context).stacks,
};

/** The four shared certificate secrets Joblet reads by name. */
const JOBLET_SECRETS = ["ca-cert", "ca-key", "client-cert", "client-key"].map((n) => `${JOBLET_SECRET_PREFIX}${n}`);

/**
 * Joblet's runtime contract. Every instance reads the shared CA and client certificates; the
 * first one to boot creates them. The document's installer policy creates, updates and tags
 * the `joblet/*` secrets (its CreateSecret/UpdateSecret/PutSecretValue/TagResource policy), so
 * the instance role keeps those actions, on the four names only; the storage stack's key
 * encrypts them, so writing needs GenerateDataKey on it. Nothing rotates these secrets: read at
 * boot. The document's ENABLE_CLOUDWATCH has Joblet's installer keep job state in its DynamoDB
 * table, job logs in log groups it creates under `/joblet` and job metrics in `Joblet/Jobs`. Not in the document, chosen here: logs of the boot script to the service's log group,
 * and CloudWatch agent metrics (CWAgent).
 */
function jobletContract(environment: EnvironmentName): SystemContract {
  return {
    principals: [
      {
        principal: { kind: "instance", service: "app" },
        flows: [
          ...JOBLET_SECRETS.map((name) => ({ kind: "secret-read" as const, secret: { name }, refresh: AT_BOOT })),
          ...JOBLET_SECRETS.map((secret) => ({ kind: "secret-write" as const, secret, alsoCreates: true, why: "the first instance creates the shared certificates" })),
          { kind: "secret-read", secret: { name: JOBLET_FIRST_BOOT }, refresh: AT_BOOT },
          { kind: "secret-write", secret: JOBLET_FIRST_BOOT, why: "the first instances race to write their id into it, so one generates the certificates" },
          { kind: "logs", logGroup: `/aws/ec2/joblet-${environment}-app` },
          { kind: "table", table: JOBLET_TABLE, access: "read_write", why: "ENABLE_CLOUDWATCH keeps job state in DynamoDB" },
          { kind: "logs", logGroup: JOBLET_LOG_GROUPS, why: "ENABLE_CLOUDWATCH sends job logs to log groups Joblet creates under /joblet" },
          {
            kind: "metrics",
            namespace: JOBLET_METRICS,
            readsBack: true,
            why: "ENABLE_CLOUDWATCH publishes each job's CPU, memory, disk and network metrics, and answers `rnx job metrics` by reading them back (GetMetricStatistics)",
          },
          { kind: "metrics", namespace: "CWAgent", why: "memory and disk metrics of the CloudWatch agent" },
          {
            kind: "metrics",
            namespace: `joblet-${environment}/certificates`,
            metrics: ["DaysToExpiry"],
            why: "the certificates live in Secrets Manager, not ACM: the instances publish their days to expiry for the expiry alarms",
          },
        ],
        managedPolicies: [{ name: "AmazonSSMManagedInstanceCore", why: "Session Manager instead of SSH for operators" }],
      },
    ],
  };
}
