import { Construct } from "constructs";
import { IngressV1, IngressV1SpecRule } from "@cdktf/provider-kubernetes/lib/ingress-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1";
import { WorkloadsConfig } from "./settings";
import { workloadName } from "../../lib/naming";
import { KubernetesApp, PoolTaint, SERVICE_HTTP_PORT } from "./app";

export interface KubernetesWorkloadsProps {
  /** The system's name: default namespace, names `<project>-<app>`, `app.kubernetes.io/part-of`. */
  readonly project: string;
  /**
   * Where images come from when an app names only an ECR repository: the registry host,
   * `<account>.dkr.ecr.<region>.amazonaws.com` (may be a Terraform reference).
   */
  readonly ecrRegistry: string;
  /** The taints of each node pool, so an app placed on a pool tolerates them. @default {} */
  readonly nodePoolTaints?: Readonly<Record<string, readonly PoolTaint[]>>;
  /** Tags for the load balancer the AWS Load Balancer Controller creates. @default {} */
  readonly loadBalancerTags?: Readonly<Record<string, string>>;
  /** Whether the load balancer refuses deletion. @default false */
  readonly deletionProtection?: boolean;
  /** The Ingress ALB's WAF web ACL (the controller associates it). @default none */
  readonly ingressWebAclArn?: string;
  /** The bucket the Ingress ALB writes access logs to (its policy admits ELB). @default no access logs */
  readonly ingressAccessLogBucket?: string;
  readonly settings: WorkloadsConfig;
  /** Per app, the environment variables locating its AWS resources (see {@link KubernetesAppProps.awsEnv}). @default none */
  readonly awsEnv?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/**
 * A system's workloads on Kubernetes: a namespace enforcing the `restricted` Pod
 * Security Standard, the apps ({@link KubernetesApp}), the Secret their `secretEnv`
 * reads (created empty, or only referenced: never a value in code or config), and an
 * Ingress for the AWS Load Balancer Controller (class `alb`, IP targets).
 */
export class KubernetesWorkloads extends Construct {
  public readonly namespace: NamespaceV1;
  public readonly namespaceName: string;
  public readonly secretName: string;
  public readonly secret?: SecretV1;
  public readonly apps: Readonly<Record<string, KubernetesApp>>;
  public readonly ingress?: IngressV1;

  constructor(scope: Construct, id: string, props: KubernetesWorkloadsProps) {
    super(scope, id);
    const { project, settings } = props;
    const commonLabels = { "app.kubernetes.io/part-of": project, "app.kubernetes.io/managed-by": "terraform" };

    this.namespace = this.addNamespace(settings.namespace ?? project, commonLabels, settings.ingress !== null);
    // A reference, so everything in the namespace waits for it.
    this.namespaceName = this.namespace.metadata.name;

    this.secretName = settings.secret.name ?? `${project}-secrets`;
    if (settings.secret.create) this.secret = this.addSecret(commonLabels);

    this.apps = this.addApps(props, commonLabels);

    const ingress = settings.ingress;
    if (ingress) this.ingress = this.addIngress(props, ingress, commonLabels);
  }

  /**
   * The namespace. Behind an Ingress, its pods also get the AWS Load Balancer Controller's
   * readiness gate: a new pod is Ready only once its IP target is healthy in the ALB, so a
   * rollout never leaves the ALB with only targets still in their first health checks.
   */
  private addNamespace(name: string, commonLabels: Record<string, string>, behindIngress: boolean): NamespaceV1 {
    return new NamespaceV1(this, "namespace", {
      metadata: {
        name,
        labels: {
          ...commonLabels,
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/audit": "restricted",
          "pod-security.kubernetes.io/warn": "restricted",
          ...(behindIngress ? { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } : {}),
        },
      },
    });
  }

  private addSecret(commonLabels: Record<string, string>): SecretV1 {
    // Created empty: values are added with kubectl (docs/eks.md) and Terraform never
    // overwrites or removes them.
    return new SecretV1(this, "secret", {
      metadata: { name: this.secretName, namespace: this.namespaceName, labels: commonLabels },
      type: "Opaque",
      lifecycle: { ignoreChanges: ["data", "binary_data"] },
    });
  }

  private addApps(props: KubernetesWorkloadsProps, commonLabels: Record<string, string>): Record<string, KubernetesApp> {
    const { project, settings } = props;
    const apps: Record<string, KubernetesApp> = {};
    for (const [appName, app] of Object.entries(settings.apps)) {
      apps[appName] = new KubernetesApp(this, appName, {
        name: workloadName(project, appName),
        component: appName,
        namespace: this.namespaceName,
        commonLabels,
        image: imageOf(project, appName, app.image, settings.imageTag, props.ecrRegistry),
        secretName: this.secret ? this.secret.metadata.name : this.secretName,
        poolTaints: app.nodePool ? props.nodePoolTaints?.[app.nodePool] : undefined,
        waitForRollout: settings.waitForRollout,
        settings: app,
        awsEnv: props.awsEnv?.[appName],
      });
    }
    return apps;
  }

  private addIngress(props: KubernetesWorkloadsProps, ingress: IngressConfig, commonLabels: Record<string, string>): IngressV1 {
    return new IngressV1(this, "ingress", {
      metadata: { name: props.project, namespace: this.namespaceName, labels: commonLabels, annotations: ingressAnnotations(props, ingress) },
      spec: { ingressClassName: ingress.className, rule: ingressRules(ingress.rules, this.apps) },
    });
  }
}

type IngressConfig = NonNullable<WorkloadsConfig["ingress"]>;

/** The AWS Load Balancer Controller's annotations: scheme, listeners, attributes, TLS, WAF, tags. */
function ingressAnnotations(props: KubernetesWorkloadsProps, ingress: IngressConfig): Record<string, string> {
  // The configuration resolves the environment's default; unset here means "with a certificate".
  const https = ingress.https ?? ingress.certificateArn !== undefined;
  const attributes = [
    `deletion_protection.enabled=${props.deletionProtection ?? false}`,
    "routing.http.drop_invalid_header_fields.enabled=true",
    ...(props.ingressAccessLogBucket ? ["access_logs.s3.enabled=true", `access_logs.s3.bucket=${props.ingressAccessLogBucket}`] : []),
  ];
  const annotations: Record<string, string> = {
    "alb.ingress.kubernetes.io/scheme": ingress.scheme,
    "alb.ingress.kubernetes.io/target-type": "ip",
    "alb.ingress.kubernetes.io/inbound-cidrs": ingress.inboundCidrs.join(","),
    "alb.ingress.kubernetes.io/listen-ports": JSON.stringify(https ? [{ HTTP: 80 }, { HTTPS: 443 }] : [{ HTTP: 80 }]),
    "alb.ingress.kubernetes.io/load-balancer-attributes": attributes.join(","),
    "alb.ingress.kubernetes.io/healthcheck-interval-seconds": "30",
    "alb.ingress.kubernetes.io/healthcheck-timeout-seconds": "5",
    "alb.ingress.kubernetes.io/healthy-threshold-count": "2",
    "alb.ingress.kubernetes.io/unhealthy-threshold-count": "3",
  };
  if (https) {
    // Without an ARN the controller discovers the ACM certificates of the rules' hosts.
    if (ingress.certificateArn) annotations["alb.ingress.kubernetes.io/certificate-arn"] = ingress.certificateArn;
    annotations["alb.ingress.kubernetes.io/ssl-policy"] = ingress.sslPolicy;
    annotations["alb.ingress.kubernetes.io/ssl-redirect"] = "443";
  }
  if (ingress.groupName) annotations["alb.ingress.kubernetes.io/group.name"] = ingress.groupName;
  if (props.ingressWebAclArn) annotations["alb.ingress.kubernetes.io/wafv2-acl-arn"] = props.ingressWebAclArn;
  const tags = Object.entries(props.loadBalancerTags ?? {});
  if (tags.length > 0) annotations["alb.ingress.kubernetes.io/tags"] = tags.map(([k, v]) => `${k}=${v}`).join(",");
  return annotations;
}

/** The ingress rules, one per host in first-seen order, each with its paths in order. */
function ingressRules(rules: IngressConfig["rules"], apps: Readonly<Record<string, KubernetesApp>>): IngressV1SpecRule[] {
  const byHost = new Map<string | undefined, IngressV1SpecRule & { http: { path: unknown[] } }>();
  for (const rule of rules) {
    let entry = byHost.get(rule.host);
    if (!entry) {
      entry = { host: rule.host, http: { path: [] } };
      byHost.set(rule.host, entry);
    }
    entry.http.path.push({
      path: rule.path,
      pathType: "Prefix",
      backend: { service: { name: apps[rule.app].service.metadata.name, port: { number: SERVICE_HTTP_PORT } } },
    });
  }
  return [...byHost.values()];
}

/**
 * The image reference of an app: a full repository URL as given, or an ECR repository
 * name in the cluster's registry; the app's tag, or the shared one.
 */
export function imageOf(
  project: string,
  app: string,
  image: { repository?: string; tag?: string },
  defaultTag: string,
  ecrRegistry: string,
): string {
  const repository = image.repository ?? `${project}-${app}`;
  const firstSegment = repository.split("/")[0];
  const isUrl = repository.includes("/") && /[.:]/.test(firstSegment);
  return `${isUrl ? repository : `${ecrRegistry}/${repository}`}:${image.tag ?? defaultTag}`;
}
