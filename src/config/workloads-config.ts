import { z } from "zod";
import type { EksConfig } from "./eks-config";
import { ConfigError } from "./errors";

/** A Kubernetes resource quantity: CPU (`250m`, `1`) or memory (`512Mi`, `1Gi`). */
const Quantity = z.string().regex(/^\d+(\.\d+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/, { message: 'must be a Kubernetes quantity such as "250m", "1", "512Mi" or "1Gi"' });

/** CPU and memory for one of requests or limits. */
const ResourceListSchema = z.strictObject({
  /** CPU, e.g. `250m`. @default none */
  cpu: Quantity.optional(),
  /** Memory, e.g. `512Mi`. @default none */
  memory: Quantity.optional(),
});

/** A container's resources. HPA utilization targets are percentages of the requests. */
export const ResourcesConfigSchema = z.strictObject({
  /** What the scheduler reserves per pod. @default { cpu: "250m", memory: "256Mi" } */
  requests: ResourceListSchema.default({ cpu: "250m", memory: "256Mi" }),
  /** The most a pod may use; memory beyond it is OOM-killed. @default { memory: "512Mi" } (no CPU limit: no throttling) */
  limits: ResourceListSchema.default({ memory: "512Mi" }),
});

/** The metrics an HPA can scale on. */
export const HPA_METRIC_TYPES = ["cpu", "memory", "external"] as const;

/**
 * One HPA metric. `cpu` and `memory` are utilization targets in percent of the pods'
 * requests (served by metrics-server); `external` is a metric outside the cluster, such
 * as a queue's depth, served by an external metrics adapter (prometheus-adapter, KEDA).
 */
export const HpaMetricSchema = z.strictObject({
  /** `cpu`, `memory` or `external`. */
  type: z.enum(HPA_METRIC_TYPES),
  /** For cpu and memory: the target average utilization, in percent of requests (e.g. 70). */
  averageUtilization: z.number().int().min(1).max(1000).optional(),
  /** For external: the metric's name as the adapter serves it, e.g. `redis_queue_depth`. */
  name: z.string().optional(),
  /** For external: labels selecting the series, e.g. `{ "queue": "jobs" }`. @default none */
  selector: z.record(z.string(), z.string()).optional(),
  /** For external: scale so the metric's total stays at this value (a quantity, e.g. "100"). Give this or averageValue. */
  value: Quantity.optional(),
  /** For external: scale so the metric divided by the pod count stays at this value. Give this or value. */
  averageValue: Quantity.optional(),
});

/** One HPA scaling policy: change by at most `value` pods or percent per `periodSeconds`. */
export const HpaPolicySchema = z.strictObject({
  /** `Percent` of the current replicas, or `Pods`. */
  type: z.enum(["Percent", "Pods"]),
  /** How many percent or pods. */
  value: z.number().int().min(1),
  /** The window the policy applies over, 1-1800 seconds. */
  periodSeconds: z.number().int().min(1).max(1800),
});

/** How fast an HPA may scale in one direction (Kubernetes `HPAScalingRules`). */
export const HpaScalingRulesSchema = z.strictObject({
  /** Seconds of past recommendations considered; the HPA acts on the most conservative one. 0-3600. */
  stabilizationWindowSeconds: z.number().int().min(0).max(3600),
  /** When several policies apply: `Max` (the largest change), `Min` (the smallest), or `Disabled`. @default "Max" */
  selectPolicy: z.enum(["Max", "Min", "Disabled"]).default("Max"),
  /** The policies; at least one. */
  policies: z.array(HpaPolicySchema).min(1),
});

/** A HorizontalPodAutoscaler (autoscaling/v2) for one app. */
export const HpaConfigSchema = z.strictObject({
  /** The fewest pods. */
  minReplicas: z.number().int().min(1),
  /** The most pods. */
  maxReplicas: z.number().int().min(1),
  /** What to scale on; with several, the HPA takes the largest recommendation ("or"). */
  metrics: z.array(HpaMetricSchema).min(1),
  /** How fast to add pods. */
  scaleUp: HpaScalingRulesSchema,
  /** How fast to remove pods. */
  scaleDown: HpaScalingRulesSchema,
});

/** One application: a Deployment, its Service, ServiceAccount, PodDisruptionBudget and HPA. */
export const AppConfigSchema = z.strictObject({
  image: z
    .strictObject({
      /**
       * The image repository: an ECR repository name in the cluster's account and region
       * (e.g. `ode-api`), or a full repository URL (`registry.example.com/team/app`).
       * @default "<project>-<app>"
       */
      repository: z.string().regex(/^[a-z0-9][a-z0-9._/:-]*$/, { message: "must be an ECR repository name or an image repository URL" }).optional(),
      /** The image tag. @default workloads.imageTag */
      tag: z.string().regex(/^[\w][\w.-]{0,127}$/, { message: "must be an image tag: letters, digits, '_', '.', '-', at most 128" }).optional(),
    })
    .prefault({}),
  /** The container's HTTP port, served through the Service on port 80; `null` for none (a queue worker). @default 8080 */
  port: z.number().int().min(1).max(65535).nullable().default(8080),
  /** The port Prometheus scrapes `/metrics` on. @default 9090 */
  metricsPort: z.number().int().min(1).max(65535).default(9090),
  /** The readiness and liveness probe path, on the HTTP port (or the metrics port when there is none). @default "/health" */
  healthPath: z.string().regex(/^\//, { message: "must start with /" }).default("/health"),
  /** The container's command. @default the image's entrypoint */
  command: z.array(z.string()).optional(),
  /** The container's arguments. @default the image's cmd */
  args: z.array(z.string()).optional(),
  /** Pods to run when there is no autoscaling; with autoscaling, the HPA's minReplicas is used at creation. @default 2 */
  replicas: z.number().int().min(0).default(2),
  /** CPU and memory requests and limits. */
  resources: ResourcesConfigSchema.prefault({}),
  /** Plain environment variables. Never secrets: those go in `secretEnv`. @default {} */
  env: z.record(z.string(), z.string()).default({}),
  /** Environment variables read from the workloads' Kubernetes Secret: variable name -> key in the secret. @default {} */
  secretEnv: z.record(z.string(), z.string()).default({}),
  /** Seconds a pod gets between SIGTERM and SIGKILL to finish its work. @default 30 */
  terminationGracePeriodSeconds: z.number().int().min(0).max(3600).default(30),
  /** The node group to run on (its `node-pool` label); its taints are tolerated. @default any node without taints */
  nodePool: z.string().optional(),
  /**
   * What the app does in AWS, granted by intent to an IAM role of its own that its
   * ServiceAccount gets through EKS Pod Identity (the `eks-pod-identity-agent` add-on): the
   * system's buckets (by storage key), the RDS master secret (read at connection time, so
   * RDS's rotation never leaves a stale copy), and Redis as the `app` user with IAM
   * authentication. The pods receive what they need to find them as plain environment
   * variables (see docs/eks.md); never a credential. Excludes `serviceAccountRoleArn`.
   * @default none: the pods have no AWS identity
   */
  aws: z
    .strictObject({
      /** Storage buckets by key (`storage.buckets`), with the access the app needs. @default {} */
      buckets: z.record(z.string(), z.enum(["read", "read_write"])).default({}),
      /** Read the database's master secret (and connect with it). @default false */
      database: z.boolean().default(false),
      /** Connect to Redis as the `app` user with IAM authentication. @default false */
      redis: z.boolean().default(false),
    })
    .optional(),
  /** An IAM role ARN for the app's service account (IRSA), for a role made elsewhere. @default none */
  serviceAccountRoleArn: z.string().regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]+$/, { message: "must be an IAM role ARN" }).optional(),
  /** The autoscaler; `null` for a fixed `replicas`. @default null */
  autoscaling: HpaConfigSchema.nullable().default(null),
  /** Pods that voluntary disruptions (node drains) may take down at once; `null` for no PodDisruptionBudget. @default 1 */
  maxUnavailable: z.number().int().min(1).nullable().default(1),
});

/** How the AWS Load Balancer Controller exposes the apps through an ALB. */
export const IngressConfigSchema = z.strictObject({
  /** The IngressClass. @default "alb" */
  className: z.string().default("alb"),
  /** `internet-facing` (public subnets) or `internal` (private subnets). @default "internet-facing" */
  scheme: z.enum(["internet-facing", "internal"]).default("internet-facing"),
  /**
   * HTTPS on 443 (TLS 1.2+ policy) and a redirect from 80. With `certificateArn` the listener
   * uses that certificate; without it the AWS Load Balancer Controller discovers the ACM
   * certificates of the rules' hosts in the cluster's region (issue one per host first:
   * docs/eks.md). Plain HTTP on an internet-facing Ingress fails synth outside dev.
   * @default true outside dev or with a certificateArn; false in dev
   */
  https: z.boolean().optional(),
  /** An ACM certificate ARN for the HTTPS listener. @default none: discovered by host when https is on */
  certificateArn: z.string().regex(/^arn:aws(-cn|-us-gov)?:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, { message: "must be an ACM certificate ARN" }).optional(),
  /** The TLS policy of the HTTPS listener. @default "ELBSecurityPolicy-TLS13-1-2-2021-06" */
  sslPolicy: z.string().default("ELBSecurityPolicy-TLS13-1-2-2021-06"),
  /** CIDRs allowed to reach the load balancer. @default ["0.0.0.0/0"] */
  inboundCidrs: z.array(z.string()).default(["0.0.0.0/0"]),
  /** An ALB group name, to share one ALB between several Ingresses. @default none: an ALB of its own */
  groupName: z.string().optional(),
  /** Routing rules, in order: requests for `host` (any host when unset) under `path` go to `app`. */
  rules: z
    .array(
      z.strictObject({
        /** The app (a key of `apps`) that serves the rule. */
        app: z.string(),
        /** The host name, e.g. `api.example.com`. @default any host */
        host: z.string().optional(),
        /** The path prefix. @default "/" */
        path: z.string().regex(/^\//, { message: "must start with /" }).default("/"),
      }),
    )
    .min(1),
});

/** The Kubernetes side of a system on EKS: namespace, apps, secret, ingress. */
export const WorkloadsConfigSchema = z.strictObject({
  /** The namespace everything lives in. @default the project's name */
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: "must be a Kubernetes namespace name (RFC 1123 label)" }).optional(),
  /** The image tag of every app that does not set its own; set it from CI (e.g. the git SHA). @default "latest" */
  imageTag: z.string().regex(/^[\w][\w.-]{0,127}$/, { message: "must be an image tag: letters, digits, '_', '.', '-', at most 128" }).default("latest"),
  /** The Kubernetes Secret the apps' `secretEnv` reads. Its values are never in config or code: see docs/eks.md. */
  secret: z
    .strictObject({
      /** The secret's name. @default "<project>-secrets" */
      name: z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, { message: "must be a Kubernetes object name" }).optional(),
      /**
       * `false`: only reference it; you create it with kubectl, and its values never touch
       * Terraform. `true`: Terraform creates it empty and never overwrites the values you
       * add, but the kubernetes provider then reads them into the state.
       * @default false
       */
      create: z.boolean().default(false),
    })
    .prefault({}),
  /** Whether `apply` waits for each Deployment's rollout. @default false: the pipeline checks `kubectl rollout status` */
  waitForRollout: z.boolean().default(false),
  /** The apps, by name (`api`, `worker`, ...); each becomes `<project>-<name>`. @default {} */
  apps: z.record(z.string(), AppConfigSchema).default({}),
  /** The Ingress; `null` for none. @default null */
  ingress: IngressConfigSchema.nullable().default(null),
});

export type WorkloadsConfig = z.infer<typeof WorkloadsConfigSchema>;
export type AppConfig = z.infer<typeof AppConfigSchema>;
export type HpaConfig = z.infer<typeof HpaConfigSchema>;
export type HpaMetricConfig = z.infer<typeof HpaMetricSchema>;
export type IngressConfig = z.infer<typeof IngressConfigSchema>;

const APP_NAME = /^[a-z][a-z0-9-]{0,30}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
/** Variable names that hold secrets: their values belong in the Secret, never in config. */
const SECRET_LIKE_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL)/i;
/** Values that embed credentials, e.g. `postgres://user:pass@host`. */
const CREDENTIAL_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

/**
 * Checks what the schema cannot: HPA bounds and metrics, probes and ports, that no
 * secret is given as a plain variable, and that node pools and ingress rules name
 * things that exist. Keys are relative to `workloads`.
 */
export function checkWorkloadsConfig(workloads: WorkloadsConfig, eks: EksConfig | undefined, environment = "dev"): WorkloadsConfig {
  if (!eks) {
    throw new ConfigError("", workloads, "needs an EKS cluster to run on, but eks is not configured", 'configure "eks" as well, or remove "workloads"');
  }
  for (const [name, app] of Object.entries(workloads.apps)) {
    const key = `apps.${name}`;
    if (!APP_NAME.test(name)) {
      throw new ConfigError(key, name, "is not a valid app name", "use 1-31 lower case letters, digits and dashes, starting with a letter");
    }
    if (app.port !== null && app.port === app.metricsPort) {
      throw new ConfigError(`${key}.metricsPort`, app.metricsPort, "is the same as port", "serve metrics on a port of their own (9090 by default)");
    }
    for (const [variable, value] of Object.entries(app.env)) {
      if (!ENV_NAME.test(variable)) {
        throw new ConfigError(`${key}.env.${variable}`, variable, "is not a valid environment variable name", "use letters, digits and '_', not starting with a digit");
      }
      if (SECRET_LIKE_NAME.test(variable) || CREDENTIAL_URL.test(value)) {
        throw new ConfigError(
          `${key}.env.${variable}`,
          "(hidden)",
          "looks like a secret given as a plain value; config and the synthesized JSON must never hold secrets",
          `put the value in the Kubernetes Secret and map it with secretEnv: { "${variable}": "<key in the secret>" }`,
        );
      }
      if (variable in app.secretEnv) {
        throw new ConfigError(`${key}.env.${variable}`, value, "is also set in secretEnv", "set each variable in env or in secretEnv, not both");
      }
    }
    for (const [variable, secretKey] of Object.entries(app.secretEnv)) {
      if (!ENV_NAME.test(variable)) {
        throw new ConfigError(`${key}.secretEnv.${variable}`, variable, "is not a valid environment variable name", "use letters, digits and '_', not starting with a digit");
      }
      if (!SECRET_KEY.test(secretKey)) {
        throw new ConfigError(`${key}.secretEnv.${variable}`, secretKey, "is not a valid key of a Kubernetes Secret", "use letters, digits, '-', '_' and '.', e.g. database-url");
      }
    }
    if (app.nodePool !== undefined && !(app.nodePool in eks.nodeGroups)) {
      throw new ConfigError(`${key}.nodePool`, app.nodePool, "is not a node group of the cluster", `use one of ${Object.keys(eks.nodeGroups).join(", ")}`);
    }
    if (app.autoscaling) checkHpa(`${key}.autoscaling`, app.autoscaling, app);
  }

  if (workloads.ingress) {
    workloads.ingress.rules.forEach((rule, i) => {
      const app = workloads.apps[rule.app];
      if (!app) {
        throw new ConfigError(`ingress.rules[${i}].app`, rule.app, "is not one of the apps", `use one of ${Object.keys(workloads.apps).join(", ") || "(no apps configured)"}`);
      }
      if (app.port === null) {
        throw new ConfigError(`ingress.rules[${i}].app`, rule.app, "has no HTTP port to route to", `give apps.${rule.app}.port, or route to another app`);
      }
    });
    const ingress = workloads.ingress;
    const https = ingress.https ?? (environment !== "dev" || ingress.certificateArn !== undefined);
    if (!https && ingress.certificateArn !== undefined) {
      throw new ConfigError("ingress.https", false, "turns HTTPS off, but a certificateArn is given", 'remove certificateArn, or set "https": true');
    }
    if (!https && environment !== "dev" && ingress.scheme === "internet-facing") {
      throw new ConfigError(
        "ingress.https",
        false,
        `would serve the internet plain HTTP in ${environment}`,
        'remove "https": false (HTTPS with a certificate discovered by host, or give ingress.certificateArn), or make the Ingress "internal"',
      );
    }
    if (https && ingress.certificateArn === undefined && !ingress.rules.some((r) => r.host !== undefined)) {
      throw new ConfigError(
        "ingress.certificateArn",
        undefined,
        "is required: HTTPS is on, and with no rule naming a host the controller cannot discover a certificate",
        "give ingress.certificateArn (an ACM certificate in the cluster's region), or a host on a rule",
      );
    }
    return { ...workloads, ingress: { ...ingress, https } };
  }
  return workloads;
}

function checkHpa(key: string, hpa: HpaConfig, app: AppConfig): void {
  if (hpa.minReplicas > hpa.maxReplicas) {
    throw new ConfigError(`${key}.minReplicas`, hpa.minReplicas, `is greater than maxReplicas (${hpa.maxReplicas})`, "make minReplicas <= maxReplicas");
  }
  const seen = new Set<string>();
  hpa.metrics.forEach((metric, i) => {
    const at = `${key}.metrics[${i}]`;
    const id = metric.type === "external" ? `external:${metric.name}` : metric.type;
    if (seen.has(id)) throw new ConfigError(at, metric, "repeats a metric", "list each metric once");
    seen.add(id);
    if (metric.type === "cpu" || metric.type === "memory") {
      if (metric.averageUtilization === undefined) {
        throw new ConfigError(`${at}.averageUtilization`, undefined, `is required for a ${metric.type} metric`, "give the target utilization in percent of requests, e.g. 70");
      }
      const extra = (["name", "selector", "value", "averageValue"] as const).find((k) => metric[k] !== undefined);
      if (extra) throw new ConfigError(`${at}.${extra}`, metric[extra], `only applies to external metrics`, "remove it");
      if (app.resources.requests[metric.type] === undefined) {
        throw new ConfigError(
          `${at}`,
          metric,
          `targets ${metric.type} utilization, but the app requests no ${metric.type}, so utilization is undefined`,
          `set resources.requests.${metric.type}`,
        );
      }
    } else {
      if (!metric.name || !/^[a-zA-Z_:][a-zA-Z0-9_:.-]*$/.test(metric.name)) {
        throw new ConfigError(`${at}.name`, metric.name, "must name the external metric", 'give the name the metrics adapter serves, e.g. "redis_queue_depth"');
      }
      if ((metric.value === undefined) === (metric.averageValue === undefined)) {
        throw new ConfigError(at, metric, "needs exactly one target: value or averageValue", 'e.g. "value": "100" to keep the metric at 100 in total');
      }
      if (metric.averageUtilization !== undefined) {
        throw new ConfigError(`${at}.averageUtilization`, metric.averageUtilization, "only applies to cpu and memory metrics", "use value or averageValue");
      }
    }
  });
}
