import { Construct } from "constructs";
import { DeploymentV1, DeploymentV1SpecTemplateSpec, DeploymentV1SpecTemplateSpecContainer } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { NODE_POOL_LABEL } from "../eks/settings";
import { ConfigError } from "../../lib/errors";
import { AppConfig } from "./settings";
import { AppAutoscaler } from "./hpa";

/** The user and group every container runs as: not root, and not a user of the image's. */
export const RUN_AS_ID = "10001";
/** The port the Service exposes the app's HTTP port on. */
export const SERVICE_HTTP_PORT = 80;

/** A taint of the node pool an app runs on, as the EKS API spells it. */
export interface PoolTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE";
}

export interface KubernetesAppProps {
  /** The app's full name, `<project>-<app>`: Deployment, container, Service, ServiceAccount, HPA and PDB. */
  readonly name: string;
  /** The app's short name (`api`), its `app.kubernetes.io/component`. */
  readonly component: string;
  readonly namespace: string;
  /** Labels on everything, e.g. `app.kubernetes.io/part-of`. */
  readonly commonLabels: Readonly<Record<string, string>>;
  /** The full image reference, `<repository>:<tag>`. */
  readonly image: string;
  /** The Secret `secretEnv` reads from. */
  readonly secretName: string;
  /** The taints of the app's node pool, tolerated by its pods. @default [] */
  readonly poolTaints?: readonly PoolTaint[];
  /** Whether apply waits for the rollout. @default false */
  readonly waitForRollout?: boolean;
  readonly settings: AppConfig;
  /**
   * Where the app finds the AWS resources it is granted (bucket names, the database's
   * endpoint and master secret ARN, Redis's endpoint and IAM user): plain environment
   * variables, never a credential. @default {}
   */
  readonly awsEnv?: Readonly<Record<string, string>>;
}

/**
 * One application on Kubernetes: a ServiceAccount (IRSA-ready, no token mounted), a
 * Deployment of non-root, read-only, capability-free containers probed on the health
 * path, a ClusterIP Service for its HTTP and metrics ports, a PodDisruptionBudget, and
 * an HPA when autoscaling is configured (which then owns the replica count).
 */
export class KubernetesApp extends Construct {
  public readonly serviceAccount: ServiceAccountV1;
  public readonly deployment: DeploymentV1;
  public readonly service: ServiceV1;
  public readonly disruptionBudget?: PodDisruptionBudgetV1;
  public readonly autoscaler?: AppAutoscaler;
  /** The labels that select the app's pods. */
  public readonly selector: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: KubernetesAppProps) {
    super(scope, id);
    const { name, namespace, settings } = props;
    this.selector = { "app.kubernetes.io/name": name };
    const labels = { ...props.commonLabels, ...this.selector, "app.kubernetes.io/component": props.component };
    const metadata = { name, namespace, labels };

    this.serviceAccount = this.addServiceAccount(metadata, settings);
    this.deployment = this.addDeployment(props, metadata);
    this.service = this.addService(metadata, settings);
    if (settings.maxUnavailable !== null) {
      this.disruptionBudget = this.addDisruptionBudget(metadata, settings.maxUnavailable);
    }
    if (settings.autoscaling) {
      this.autoscaler = new AppAutoscaler(this, "autoscaling", {
        name,
        namespace,
        labels,
        deploymentName: this.deployment.metadata.name,
        settings: settings.autoscaling,
      });
    }
  }

  private addServiceAccount(metadata: AppMetadata, settings: AppConfig): ServiceAccountV1 {
    return new ServiceAccountV1(this, "service_account", {
      metadata: {
        ...metadata,
        annotations: settings.serviceAccountRoleArn ? { "eks.amazonaws.com/role-arn": settings.serviceAccountRoleArn } : undefined,
      },
      automountServiceAccountToken: false,
    });
  }

  private addDeployment(props: KubernetesAppProps, metadata: AppMetadata): DeploymentV1 {
    const { settings } = props;
    const initialReplicas = settings.autoscaling ? settings.autoscaling.minReplicas : settings.replicas;
    return new DeploymentV1(this, "deployment", {
      metadata,
      waitForRollout: props.waitForRollout ?? false,
      spec: {
        replicas: String(initialReplicas),
        revisionHistoryLimit: 10,
        selector: { matchLabels: { ...this.selector } },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "0" } },
        template: {
          metadata: {
            labels: metadata.labels,
            annotations: {
              "prometheus.io/scrape": "true",
              "prometheus.io/port": String(settings.metricsPort),
              "prometheus.io/path": "/metrics",
            },
          },
          spec: this.podSpec(props),
        },
      },
      // The HPA owns the replica count once it exists.
      lifecycle: settings.autoscaling ? { ignoreChanges: ["spec[0].replicas"] } : undefined,
    });
  }

  /** The pods: scheduling on the app's node pool, spread over zones, non-root. */
  private podSpec(props: KubernetesAppProps): DeploymentV1SpecTemplateSpec {
    const { name, settings } = props;
    return {
      serviceAccountName: name,
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: settings.terminationGracePeriodSeconds,
      nodeSelector: settings.nodePool ? { [NODE_POOL_LABEL]: settings.nodePool } : undefined,
      toleration: props.poolTaints?.length
        ? props.poolTaints.map((t) => ({
            key: t.key,
            operator: t.value === undefined ? "Exists" : "Equal",
            value: t.value,
            effect: TAINT_EFFECTS[t.effect],
          }))
        : undefined,
      topologySpreadConstraint: [
        {
          maxSkew: 1,
          topologyKey: "topology.kubernetes.io/zone",
          whenUnsatisfiable: "ScheduleAnyway",
          labelSelector: [{ matchLabels: { ...this.selector } }],
        },
      ],
      securityContext: {
        runAsNonRoot: true,
        runAsUser: RUN_AS_ID,
        runAsGroup: RUN_AS_ID,
        fsGroup: RUN_AS_ID,
        seccompProfile: { type: "RuntimeDefault" },
      },
      container: [this.container(props)],
      volume: [{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }],
    };
  }

  /** The app's container: probed on the health path, read-only, capability-free. */
  private container(props: KubernetesAppProps): DeploymentV1SpecTemplateSpecContainer {
    const { settings } = props;
    // Probes use the HTTP port, or the metrics port of an app that serves no HTTP (a worker).
    const probePort = settings.port === null ? "metrics" : "http";
    const probe = { httpGet: { path: settings.healthPath, port: probePort }, timeoutSeconds: 5 };
    const ports = [
      ...(settings.port === null ? [] : [{ name: "http", containerPort: settings.port, protocol: "TCP" }]),
      { name: "metrics", containerPort: settings.metricsPort, protocol: "TCP" },
    ];
    const env = containerEnv(props);
    const resources = {
      requests: definedOnly(settings.resources.requests),
      limits: definedOnly(settings.resources.limits),
    };
    return {
      name: props.name,
      image: props.image,
      imagePullPolicy: props.image.endsWith(":latest") ? "Always" : "IfNotPresent",
      command: settings.command,
      args: settings.args,
      port: ports,
      env: env.length > 0 ? env : undefined,
      resources,
      startupProbe: { ...probe, periodSeconds: 5, failureThreshold: 30 },
      readinessProbe: { ...probe, periodSeconds: 10, failureThreshold: 3 },
      livenessProbe: { ...probe, periodSeconds: 20, failureThreshold: 3 },
      securityContext: {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      },
      volumeMount: [{ name: "tmp", mountPath: "/tmp" }],
    };
  }

  private addService(metadata: AppMetadata, settings: AppConfig): ServiceV1 {
    return new ServiceV1(this, "service", {
      metadata: {
        ...metadata,
        // Read by the AWS Load Balancer Controller for the target group of an Ingress.
        annotations: settings.port === null ? undefined : { "alb.ingress.kubernetes.io/healthcheck-path": settings.healthPath },
      },
      spec: {
        type: "ClusterIP",
        selector: { ...this.selector },
        port: [
          ...(settings.port === null ? [] : [{ name: "http", port: SERVICE_HTTP_PORT, targetPort: "http", protocol: "TCP" }]),
          { name: "metrics", port: settings.metricsPort, targetPort: "metrics", protocol: "TCP" },
        ],
      },
    });
  }

  private addDisruptionBudget(metadata: AppMetadata, maxUnavailable: number): PodDisruptionBudgetV1 {
    return new PodDisruptionBudgetV1(this, "pdb", {
      metadata,
      spec: { maxUnavailable: String(maxUnavailable), selector: { matchLabels: { ...this.selector } } },
    });
  }
}

/** The name, namespace and labels of every object of an app. */
interface AppMetadata {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

/** The container's environment: plain variables (the app's and its aws settings), then Secret keys, each sorted. */
function containerEnv(props: KubernetesAppProps) {
  const { settings } = props;
  for (const variable of Object.keys(props.awsEnv ?? {})) {
    if (variable in settings.env || variable in settings.secretEnv) {
      throw new ConfigError(`apps.${props.component}.env.${variable}`, variable, "is set from the app's aws settings as well", `drop it from env/secretEnv; ${variable} is set for you`);
    }
  }
  return [
    ...Object.entries({ ...settings.env, ...(props.awsEnv ?? {}) })
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([variable, value]) => ({ name: variable, value })),
    ...Object.entries(settings.secretEnv)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([variable, key]) => ({ name: variable, valueFrom: { secretKeyRef: { name: props.secretName, key, optional: false } } })),
  ];
}

const TAINT_EFFECTS: Record<PoolTaint["effect"], string> = {
  NO_SCHEDULE: "NoSchedule",
  NO_EXECUTE: "NoExecute",
  PREFER_NO_SCHEDULE: "PreferNoSchedule",
};

function definedOnly(list: { cpu?: string; memory?: string }): Record<string, string> | undefined {
  const entries = Object.entries(list).filter((e): e is [string, string] => e[1] !== undefined);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}
