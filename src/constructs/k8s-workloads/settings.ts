import { z } from "zod";
import type { EksConfig } from "../eks/settings";
import { ConfigError, Problems } from "../../lib/errors";
import { ENV_VAR_NAME } from "../../lib/env-var";

/** A Kubernetes resource quantity: CPU (`250m`, `1`) or memory (`512Mi`, `1Gi`). */
const Quantity = z.string().regex(/^\d+(\.\d+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/, { message: 'must be a Kubernetes quantity such as "250m", "1", "512Mi" or "1Gi"' });

/** CPU and memory for one of requests or limits. */
const ResourceListSchema = z.strictObject({
  cpu: Quantity.optional().describe("CPU, e.g. `250m`. Default: none."),
  memory: Quantity.optional().describe("Memory, e.g. `512Mi`. Default: none."),
});

/** A container's resources. HPA utilization targets are percentages of the requests. */
export const ResourcesConfigSchema = z.strictObject({
  requests: ResourceListSchema.default({ cpu: "250m", memory: "256Mi" }).describe("What the scheduler reserves per pod."),
  limits: ResourceListSchema.default({ memory: "512Mi" }).describe("The most a pod may use; memory beyond it is OOM-killed. Default: { memory: \"512Mi\" } (no CPU limit: no throttling)."),
});

/** The metrics an HPA can scale on. */
export const HPA_METRIC_TYPES = ["cpu", "memory", "external"] as const;

/**
 * One HPA metric. `cpu` and `memory` are utilization targets in percent of the pods'
 * requests (served by metrics-server); `external` is a metric outside the cluster, such
 * as a queue's depth, served by an external metrics adapter (prometheus-adapter, KEDA).
 */
export const HpaMetricSchema = z.strictObject({
  type: z.enum(HPA_METRIC_TYPES).describe("`cpu`, `memory` or `external`."),
  averageUtilization: z.number().int().min(1).max(1000).optional().describe("For cpu and memory: the target average utilization, in percent of requests (e.g. 70)."),
  name: z.string().optional().describe("For external: the metric's name as the adapter serves it, e.g. `redis_queue_depth`."),
  selector: z.record(z.string(), z.string()).optional().describe("For external: labels selecting the series, e.g. `{ \"queue\": \"jobs\" }`. Default: none."),
  value: Quantity.optional().describe("For external: scale so the metric's total stays at this value (a quantity, e.g. \"100\"). Give this or averageValue."),
  averageValue: Quantity.optional().describe("For external: scale so the metric divided by the pod count stays at this value. Give this or value."),
});

/** One HPA scaling policy: change by at most `value` pods or percent per `periodSeconds`. */
export const HpaPolicySchema = z.strictObject({
  type: z.enum(["Percent", "Pods"]).describe("`Percent` of the current replicas, or `Pods`."),
  value: z.number().int().min(1).describe("How many percent or pods."),
  periodSeconds: z.number().int().min(1).max(1800).describe("The window the policy applies over, 1-1800 seconds."),
});

/** How fast an HPA may scale in one direction (Kubernetes `HPAScalingRules`). */
export const HpaScalingRulesSchema = z.strictObject({
  stabilizationWindowSeconds: z.number().int().min(0).max(3600).describe("Seconds of past recommendations considered; the HPA acts on the most conservative one. 0-3600."),
  selectPolicy: z.enum(["Max", "Min", "Disabled"]).default("Max").describe("When several policies apply: `Max` (the largest change), `Min` (the smallest), or `Disabled`."),
  policies: z.array(HpaPolicySchema).min(1).describe("The policies; at least one."),
});

/** A HorizontalPodAutoscaler (autoscaling/v2) for one app. */
export const HpaConfigSchema = z.strictObject({
  minReplicas: z.number().int().min(1).describe("The fewest pods."),
  maxReplicas: z.number().int().min(1).describe("The most pods."),
  metrics: z.array(HpaMetricSchema).min(1).describe("What to scale on; with several, the HPA takes the largest recommendation (\"or\")."),
  scaleUp: HpaScalingRulesSchema.describe("How fast to add pods."),
  scaleDown: HpaScalingRulesSchema.describe("How fast to remove pods."),
});

/** One application: a Deployment, its Service, ServiceAccount, PodDisruptionBudget and HPA. */
export const AppConfigSchema = z.strictObject({
  image: z
    .strictObject({
      repository: z.string().regex(/^[a-z0-9][a-z0-9._/:-]*$/, { message: "must be an ECR repository name or an image repository URL" }).optional().describe("The image repository: an ECR repository name in the cluster's account and region (e.g. `ode-api`), or a full repository URL (`registry.example.com/team/app`). Default: \"<project>-<app>\"."),
      tag: z.string().regex(/^[\w][\w.-]{0,127}$/, { message: "must be an image tag: letters, digits, '_', '.', '-', at most 128" }).optional().describe("The image tag. Default: workloads.imageTag."),
    })
    .prefault({}),
  port: z.number().int().min(1).max(65535).nullable().default(8080).describe("The container's HTTP port, served through the Service on port 80; `null` for none (a queue worker)."),
  metricsPort: z.number().int().min(1).max(65535).default(9090).describe("The port Prometheus scrapes `/metrics` on."),
  healthPath: z.string().regex(/^\//, { message: "must start with /" }).default("/health").describe("The readiness and liveness probe path, on the HTTP port (or the metrics port when there is none)."),
  command: z.array(z.string()).optional().describe("The container's command. Default: the image's entrypoint."),
  args: z.array(z.string()).optional().describe("The container's arguments. Default: the image's cmd."),
  replicas: z.number().int().min(0).default(2).describe("Pods to run when there is no autoscaling; with autoscaling, the HPA's minReplicas is used at creation."),
  resources: ResourcesConfigSchema.prefault({}).describe("CPU and memory requests and limits."),
  env: z.record(z.string(), z.string()).default({}).describe("Plain environment variables. Never secrets: those go in `secretEnv`."),
  secretEnv: z.record(z.string(), z.string()).default({}).describe("Environment variables read from the workloads' Kubernetes Secret: variable name -> key in the secret."),
  terminationGracePeriodSeconds: z.number().int().min(0).max(3600).default(30).describe("Seconds a pod gets between SIGTERM and SIGKILL to finish its work."),
  nodePool: z.string().optional().describe("The node group to run on (its `node-pool` label); its taints are tolerated. Default: any node without taints."),
  aws: z
    .strictObject({
      buckets: z.record(z.string(), z.enum(["read", "read_write"])).default({}).describe("Storage buckets by key (`storage.buckets`), with the access the app needs."),
      database: z.boolean().default(false).describe("Read the database's master secret (and connect with it)."),
      redis: z.boolean().default(false).describe("Connect to Redis as the `app` user with IAM authentication."),
    })
    .optional().describe("What the app does in AWS, granted by intent to an IAM role of its own that its ServiceAccount gets through EKS Pod Identity (the `eks-pod-identity-agent` add-on): the system's buckets (by storage key), the RDS master secret (read at connection time, so RDS's rotation never leaves a stale copy), and Redis as the `app` user with IAM authentication. The pods receive what they need to find them as plain environment variables (see docs/eks.md); never a credential. Excludes `serviceAccountRoleArn`. Default: none: the pods have no AWS identity."),
  serviceAccountRoleArn: z.string().regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]+$/, { message: "must be an IAM role ARN" }).optional().describe("An IAM role ARN for the app's service account (IRSA), for a role made elsewhere. Default: none."),
  autoscaling: HpaConfigSchema.nullable().default(null).describe("The autoscaler; `null` for a fixed `replicas`."),
  maxUnavailable: z.number().int().min(1).nullable().default(1).describe("Pods that voluntary disruptions (node drains) may take down at once; `null` for no PodDisruptionBudget."),
});

/** How the AWS Load Balancer Controller exposes the apps through an ALB. */
export const IngressConfigSchema = z.strictObject({
  className: z.string().default("alb").describe("The IngressClass."),
  scheme: z.enum(["internet-facing", "internal"]).default("internet-facing").describe("`internet-facing` (public subnets) or `internal` (private subnets)."),
  https: z.boolean().optional().describe("HTTPS on 443 (TLS 1.2+ policy) and a redirect from 80. With `certificateArn` the listener uses that certificate; without it the AWS Load Balancer Controller discovers the ACM certificates of the rules' hosts in the cluster's region (issue one per host first: docs/eks.md). Plain HTTP on an internet-facing Ingress fails synth outside dev. Default: true outside dev or with a certificateArn; false in dev."),
  certificateArn: z.string().regex(/^arn:aws(-cn|-us-gov)?:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, { message: "must be an ACM certificate ARN" }).optional().describe("An ACM certificate ARN for the HTTPS listener. Default: none: discovered by host when https is on."),
  sslPolicy: z.string().default("ELBSecurityPolicy-TLS13-1-2-2021-06").describe("The TLS policy of the HTTPS listener."),
  inboundCidrs: z.array(z.string()).default(["0.0.0.0/0"]).describe("CIDRs allowed to reach the load balancer."),
  groupName: z.string().optional().describe("An ALB group name, to share one ALB between several Ingresses. Default: none: an ALB of its own."),
  rules: z
    .array(
      z.strictObject({
        app: z.string().describe("The app (a key of `apps`) that serves the rule."),
        host: z.string().optional().describe("The host name, e.g. `api.example.com`. Default: any host."),
        path: z.string().regex(/^\//, { message: "must start with /" }).default("/").describe("The path prefix."),
      }),
    )
    .min(1).describe("Routing rules, in order: requests for `host` (any host when unset) under `path` go to `app`."),
});

/** The Kubernetes side of a system on EKS: namespace, apps, secret, ingress. */
export const WorkloadsConfigSchema = z.strictObject({
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: "must be a Kubernetes namespace name (RFC 1123 label)" }).optional().describe("The namespace everything lives in. Default: the project's name."),
  imageTag: z.string().regex(/^[\w][\w.-]{0,127}$/, { message: "must be an image tag: letters, digits, '_', '.', '-', at most 128" }).default("latest").describe("The image tag of every app that does not set its own; set it from CI (e.g. the git SHA)."),
  secret: z
    .strictObject({
      name: z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, { message: "must be a Kubernetes object name" }).optional().describe("The secret's name. Default: \"<project>-secrets\"."),
      create: z.boolean().default(false).describe("`false`: only reference it; you create it with kubectl, and its values never touch Terraform. `true`: Terraform creates it empty and never overwrites the values you add, but the kubernetes provider then reads them into the state."),
    })
    .prefault({}).describe("The Kubernetes Secret the apps' `secretEnv` reads. Its values are never in config or code: see docs/eks.md."),
  waitForRollout: z.boolean().default(false).describe("Whether `apply` waits for each Deployment's rollout. Default: false: the pipeline checks `kubectl rollout status`."),
  apps: z.record(z.string(), AppConfigSchema).default({}).describe("The apps, by name (`api`, `worker`, ...); each becomes `<project>-<name>`."),
  ingress: IngressConfigSchema.nullable().default(null).describe("The Ingress; `null` for none."),
});

export type WorkloadsConfig = z.infer<typeof WorkloadsConfigSchema>;
export type AppConfig = z.infer<typeof AppConfigSchema>;
export type HpaConfig = z.infer<typeof HpaConfigSchema>;
export type HpaMetricConfig = z.infer<typeof HpaMetricSchema>;
export type IngressConfig = z.infer<typeof IngressConfigSchema>;

const APP_NAME = /^[a-z][a-z0-9-]{0,30}$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
/** Variable names that hold secrets: their values belong in the Secret, never in config. */
const SECRET_LIKE_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL)/i;
/** Values that embed credentials, e.g. `postgres://user:pass@host`. */
const CREDENTIAL_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

/**
 * Checks what the schema cannot: HPA bounds and metrics, probes and ports, that no
 * secret is given as a plain variable, and that node pools and ingress rules name
 * things that exist. Every app, variable, metric and rule is checked even when another
 * fails. Keys are relative to `workloads`; throws a ConfigError, or ConfigErrors for several.
 */
export function checkWorkloadsConfig(workloads: WorkloadsConfig, eks: EksConfig | undefined, environment = "dev"): WorkloadsConfig {
  if (!eks) {
    throw new ConfigError("", workloads, "needs an EKS cluster to run on, but eks is not configured", 'configure "eks" as well, or remove "workloads"');
  }
  const problems = new Problems();
  for (const [name, app] of Object.entries(workloads.apps)) problems.check(() => checkApp(`apps.${name}`, name, app, eks));
  const ingress = workloads.ingress;
  const https = ingress ? problems.value(() => checkIngress(ingress, workloads, environment)) : undefined;
  problems.throwIfAny();
  return ingress ? { ...workloads, ingress: { ...ingress, https: https! } } : workloads;
}

/** One app, at `key` (`apps.<name>`). */
function checkApp(key: string, name: string, app: AppConfig, eks: EksConfig): void {
  const problems = new Problems();
  if (!APP_NAME.test(name)) {
    problems.add(new ConfigError(key, name, "is not a valid app name", "use 1-31 lower case letters, digits and dashes, starting with a letter"));
  }
  if (app.port !== null && app.port === app.metricsPort) {
    problems.add(new ConfigError(`${key}.metricsPort`, app.metricsPort, "is the same as port", "serve metrics on a port of their own (9090 by default)"));
  }
  for (const [variable, value] of Object.entries(app.env)) problems.check(() => checkEnvVariable(`${key}.env.${variable}`, variable, value, app));
  for (const [variable, secretKey] of Object.entries(app.secretEnv)) {
    if (!ENV_VAR_NAME.test(variable)) {
      problems.add(new ConfigError(`${key}.secretEnv.${variable}`, variable, "is not a valid environment variable name", "use letters, digits and '_', not starting with a digit"));
    } else if (!SECRET_KEY.test(secretKey)) {
      problems.add(new ConfigError(`${key}.secretEnv.${variable}`, secretKey, "is not a valid key of a Kubernetes Secret", "use letters, digits, '-', '_' and '.', e.g. database-url"));
    }
  }
  if (app.nodePool !== undefined && !(app.nodePool in eks.nodeGroups)) {
    problems.add(new ConfigError(`${key}.nodePool`, app.nodePool, "is not a node group of the cluster", `use one of ${Object.keys(eks.nodeGroups).join(", ")}`));
  }
  if (app.autoscaling) problems.check(() => checkHpa(key, app.autoscaling!, app));
  problems.throwIfAny();
}

/** One plain environment variable, at `key`: a valid name, no secret, not also in secretEnv. */
function checkEnvVariable(key: string, variable: string, value: string, app: AppConfig): void {
  if (!ENV_VAR_NAME.test(variable)) {
    throw new ConfigError(key, variable, "is not a valid environment variable name", "use letters, digits and '_', not starting with a digit");
  }
  if (SECRET_LIKE_NAME.test(variable) || CREDENTIAL_URL.test(value)) {
    throw new ConfigError(
      key,
      "(hidden)",
      "looks like a secret given as a plain value; config and the synthesized JSON must never hold secrets",
      `put the value in the Kubernetes Secret and map it with secretEnv: { "${variable}": "<key in the secret>" }`,
    );
  }
  if (variable in app.secretEnv) {
    throw new ConfigError(key, value, "is also set in secretEnv", "set each variable in env or in secretEnv, not both");
  }
}

/** The Ingress: its rules and HTTPS. Returns whether it serves HTTPS (the environment's default filled in). */
function checkIngress(ingress: IngressConfig, workloads: WorkloadsConfig, environment: string): boolean {
  const problems = new Problems();
  ingress.rules.forEach((rule, i) => {
    const app = workloads.apps[rule.app];
    if (!app) {
      problems.add(new ConfigError(`ingress.rules[${i}].app`, rule.app, "is not one of the apps", `use one of ${Object.keys(workloads.apps).join(", ") || "(no apps configured)"}`));
    } else if (app.port === null) {
      problems.add(new ConfigError(`ingress.rules[${i}].app`, rule.app, "has no HTTP port to route to", `give apps.${rule.app}.port, or route to another app`));
    }
  });
  const https = ingress.https ?? (environment !== "dev" || ingress.certificateArn !== undefined);
  if (!https && ingress.certificateArn !== undefined) {
    problems.add(new ConfigError("ingress.https", false, "turns HTTPS off, but a certificateArn is given", 'remove certificateArn, or set "https": true'));
  } else if (!https && environment !== "dev" && ingress.scheme === "internet-facing") {
    problems.add(
      new ConfigError(
        "ingress.https",
        false,
        `would serve the internet plain HTTP in ${environment}`,
        'remove "https": false (HTTPS with a certificate discovered by host, or give ingress.certificateArn), or make the Ingress "internal"',
      ),
    );
  }
  if (https && ingress.certificateArn === undefined && !ingress.rules.some((r) => r.host !== undefined)) {
    problems.add(
      new ConfigError(
        "ingress.certificateArn",
        undefined,
        "is required: HTTPS is on, and with no rule naming a host the controller cannot discover a certificate",
        "give ingress.certificateArn (an ACM certificate in the cluster's region), or a host on a rule",
      ),
    );
  }
  problems.throwIfAny();
  return https;
}

/** The autoscaler of the app at `appKey`: bounds, and each metric on its own. */
function checkHpa(appKey: string, hpa: HpaConfig, app: AppConfig): void {
  const problems = new Problems();
  const key = `${appKey}.autoscaling`;
  if (hpa.minReplicas > hpa.maxReplicas) {
    problems.add(new ConfigError(`${key}.minReplicas`, hpa.minReplicas, `is greater than maxReplicas (${hpa.maxReplicas})`, "make minReplicas <= maxReplicas"));
  }
  const seen = new Set<string>();
  hpa.metrics.forEach((metric, i) => {
    const at = `${key}.metrics[${i}]`;
    const id = metric.type === "external" ? `external:${metric.name}` : metric.type;
    if (seen.has(id)) {
      problems.add(new ConfigError(at, metric, "repeats a metric", "list each metric once"));
      return;
    }
    seen.add(id);
    problems.check(() => (metric.type === "external" ? checkExternalMetric(at, metric) : checkResourceMetric(at, metric, app, appKey)));
  });
  problems.throwIfAny();
}

/** A cpu or memory metric, at `at`: a utilization target of something the app (at `appKey`) requests. */
function checkResourceMetric(at: string, metric: HpaMetricConfig, app: AppConfig, appKey: string): void {
  const problems = new Problems();
  const type = metric.type as "cpu" | "memory";
  if (metric.averageUtilization === undefined) {
    problems.add(new ConfigError(`${at}.averageUtilization`, undefined, `is required for a ${type} metric`, "give the target utilization in percent of requests, e.g. 70"));
  }
  const extra = (["name", "selector", "value", "averageValue"] as const).find((k) => metric[k] !== undefined);
  if (extra) problems.add(new ConfigError(`${at}.${extra}`, metric[extra], `only applies to external metrics`, "remove it"));
  if (app.resources.requests[type] === undefined) {
    problems.add(
      new ConfigError(
        `${at}`,
        metric,
        `targets ${type} utilization, but the app requests no ${type}, so utilization is undefined`,
        `set resources.requests.${type}`,
      ).reading(`${appKey}.resources.requests.${type}`),
    );
  }
  problems.throwIfAny();
}

/** An external metric, at `at`: named, with exactly one target. */
function checkExternalMetric(at: string, metric: HpaMetricConfig): void {
  const problems = new Problems();
  if (!metric.name || !/^[a-zA-Z_:][a-zA-Z0-9_:.-]*$/.test(metric.name)) {
    problems.add(new ConfigError(`${at}.name`, metric.name, "must name the external metric", 'give the name the metrics adapter serves, e.g. "redis_queue_depth"'));
  }
  if ((metric.value === undefined) === (metric.averageValue === undefined)) {
    problems.add(new ConfigError(at, metric, "needs exactly one target: value or averageValue", 'e.g. "value": "100" to keep the metric at 100 in total'));
  }
  if (metric.averageUtilization !== undefined) {
    problems.add(new ConfigError(`${at}.averageUtilization`, metric.averageUtilization, "only applies to cpu and memory metrics", "use value or averageValue"));
  }
  problems.throwIfAny();
}
