import { Construct } from "constructs";
import { Annotations, TerraformOutput, TerraformStack } from "cdktf";
import { targetGroupNames } from "../constructs/asg/checks";
import { accessLogBucketNameOf, albIngressFrom, loadBalancerAccessLogs } from "../constructs/alb/settings";
import { ResolvedSystemConfig } from "../config/resolve";
import { ApplicationLoadBalancer } from "../constructs/alb/application-load-balancer";
import { TargetGroupKey } from "../constructs/alb/target-group";
import { AppService, ServiceResources } from "../constructs/asg/app-service";
import { ServiceConfig } from "../constructs/asg/settings";
import { Network } from "../constructs/networking";
import { NetworkLoadBalancer } from "../constructs/nlb/network-load-balancer";
import { secretCertificateNamespace } from "../lib/certificate-metric";
import { WebAcl, WebAclProps } from "../constructs/waf";
import { cloudFrontOriginFacingPrefixList } from "../lib/cloudfront-prefix-lists";
import { ConfigError } from "../lib/errors";
import { Naming } from "../lib/naming";
import { AwsStack, commonTags, StackContext } from "./aws-stack";

/** The networking a compute or services stack is built on. */
export interface ComputeStackProps {
  /** The network stack's network (read through cross-stack references). */
  readonly network: Network;
  /** A load balancer that lives in another stack (the services stack). @default built here, if configured */
  readonly loadBalancer?: ApplicationLoadBalancer | NetworkLoadBalancer;
  /** The storage layer's resources the services' grants may name (read through cross-stack references). @default none */
  readonly resources?: ServiceResources;
}

/**
 * The compute layer (`<project>-<environment>-compute`): the services' auto scaling groups
 * with their launch templates, security groups, instance roles, log groups, scaling
 * policies and alarms, and, unless it lives in the services stack, the load balancer.
 *
 * It reads only the network (and services) stacks, never the data tier: the data tier
 * takes this stack's app security groups and role names instead (see its outputs).
 */
export class ComputeStack extends AwsStack {
  public readonly loadBalancer?: ApplicationLoadBalancer | NetworkLoadBalancer;
  /** The services, by name. */
  public readonly services: Readonly<Record<string, AppService>>;

  constructor(scope: Construct, context: StackContext, props: ComputeStackProps) {
    super(scope, "compute", context);
    const compute = this.config.compute;
    const network = props.network;
    this.loadBalancer = props.loadBalancer ?? (compute.loadBalancer?.stack === "compute" ? buildLoadBalancer(this, this.config, this.naming, network) : undefined);
    if (this.loadBalancer && !props.loadBalancer) loadBalancerOutputs(this, this.loadBalancer);

    const services: Record<string, AppService> = {};
    for (const [name, service] of Object.entries(compute.services).sort(([a], [b]) => a.localeCompare(b))) services[name] = this.addService(name, service, props);
    this.services = services;
    for (const [name, s] of Object.entries(services)) this.addServiceOutputs(name, s);
    this.warnOnImageTagSkew(compute.services);
  }

  /**
   * Warns when services that run one image run different tags of it (Duewin's web servers and
   * game scheduler, AlgoItny's API and workers): different versions of one code side by side,
   * sharing its data. Blue-green colors, which differ on purpose, are not compared.
   */
  private warnOnImageTagSkew(services: Readonly<Record<string, ServiceConfig>>): void {
    // By registry (an account's, or the stack's own) and repository.
    const byImage = new Map<string, { repository: string; uses: [string, string][] }>();
    for (const [name, service] of Object.entries(services)) {
      if (service.app.type !== "container") continue;
      const { repository, registryAccountId, tag } = service.app;
      const key = `${registryAccountId}/${repository}`;
      const image = byImage.get(key) ?? { repository, uses: [] };
      image.uses.push([name, tag]);
      byImage.set(key, image);
    }
    for (const { repository, uses } of byImage.values()) {
      if (new Set(uses.map(([, tag]) => tag)).size < 2) continue;
      const tags = uses.map(([name, tag]) => `compute.services.${name}.app.tag = "${tag}"`).join(", ");
      Annotations.of(this).addWarning(`services run different tags of the image ${repository}: ${tags}. They run different versions of one code side by side; give them one tag unless that is meant.`);
    }
  }

  /** One service: its groups, role, security group and logs, behind the load balancer when it is the load-balanced one. */
  private addService(name: string, service: ServiceConfig, props: ComputeStackProps): AppService {
    const { network } = props;
    const certificates = this.config.audit?.certificateExpiry.secretCertificates;
    return new AppService(this, name, {
      naming: this.naming,
      region: this.config.region,
      accountId: this.config.accountId,
      vpcId: network.vpc.id,
      vpcCidr: network.vpc.cidrBlock,
      subnetIds: network.subnetIds("private"),
      tags: commonTags(this.config),
      service,
      loadBalancer: this.loadBalancer,
      compute: this.config.compute,
      resources: props.resources,
      certificateMetrics: certificates?.publishedBy === name ? { namespace: secretCertificateNamespace(this.naming), secrets: certificates.secrets } : undefined,
    });
  }

  /** What the data tier and operators need of a service: its security group, role, groups and log group. */
  private addServiceOutputs(name: string, s: AppService): void {
    const key = outputKey(name);
    const outputs: Record<string, { value: unknown; description: string }> = {
      [`${key}_security_group_id`]: { value: s.securityGroup.id, description: `The ${name} instances' security group: admit it in data-tier security groups` },
      [`${key}_role_name`]: { value: s.role.name, description: `The ${name} instance role's name: grant it data-tier access` },
      [`${key}_role_arn`]: { value: s.role.arn, description: `The ${name} instance role's ARN` },
      [`${key}_asg_names`]: { value: s.groupNames, description: `The ${name} auto scaling groups (blue before green)` },
      [`${key}_log_group_name`]: { value: s.logGroup.name, description: `The ${name} app's log group` },
    };
    for (const [id, o] of Object.entries(outputs)) new TerraformOutput(this, id, o);
  }
}

/**
 * The services layer (`<project>-<environment>-services`): the load balancer, its security
 * group, listeners and target groups, in a state of their own (AlgoItny's layout). The
 * compute stack reads them through cross-stack references.
 */
export class ServicesStack extends AwsStack {
  public readonly loadBalancer: ApplicationLoadBalancer | NetworkLoadBalancer;

  constructor(scope: Construct, context: StackContext, props: { readonly network: Network }) {
    super(scope, "services", context);
    this.loadBalancer = buildLoadBalancer(this, this.config, this.naming, props.network);
    loadBalancerOutputs(this, this.loadBalancer);
  }
}

/**
 * The compute tier's stacks, from the configuration: nothing without services; a compute
 * stack; and before it a services stack when `compute.loadBalancer.stack` is `services`.
 */
export function computeStacks(scope: Construct, context: StackContext, network: Network, resources?: ServiceResources): TerraformStack[] {
  const compute = context.config.compute;
  if (Object.keys(compute.services).length === 0) return [];
  if (compute.loadBalancer?.stack === "services") {
    const services = new ServicesStack(scope, context, { network });
    return [services, new ComputeStack(scope, context, { network, loadBalancer: services.loadBalancer, resources })];
  }
  return [new ComputeStack(scope, context, { network, resources })];
}

/** Builds the configured load balancer in front of the load-balanced service. */
export function buildLoadBalancer(scope: Construct, config: ResolvedSystemConfig, naming: Naming, network: Network): ApplicationLoadBalancer | NetworkLoadBalancer {
  const lb = config.compute.loadBalancer;
  if (!lb) throw new Error("buildLoadBalancer: compute.loadBalancer is not configured");
  const balanced = Object.entries(config.compute.services).find(([, s]) => s.loadBalanced);
  if (!balanced) throw new Error("buildLoadBalancer: no service has loadBalanced: true");
  const [name, service] = balanced;
  const bg = service.blueGreen;
  const target = {
    service: name,
    port: service.port,
    targetGroupNames: targetGroupNames(naming, name, service),
    weights: bg?.mode === "weighted" ? (bg.weights ?? { blue: 100, green: 0 }) : undefined,
    settings: service.targetGroup,
  };
  const common = {
    name: naming.name("loadBalancer", lb.type),
    vpcId: network.vpc.id,
    vpcCidr: network.vpc.cidrBlock,
    subnetIds: network.subnetIds("public"),
    settings: lb,
    deletionProtection: config.deletionProtection,
    target,
  };
  const logs = loadBalancerAccessLogs(lb, config.environment);
  const accessLogs = logs
    ? {
        bucketName: accessLogBucketNameOf(naming, logs, config.region),
        settings: logs,
        preventDestroy: config.deletionProtection,
        accountId: config.accountId,
      }
    : undefined;
  if (lb.type === "nlb") {
    return new NetworkLoadBalancer(scope, "nlb", { ...common, accessLogs: accessLogs && { ...accessLogs, region: config.region } });
  }
  const cloudFrontPrefixListId = albCloudFrontPrefixList(config);
  const alb = new ApplicationLoadBalancer(scope, "alb", { ...common, cloudFrontPrefixListId, region: config.region, accessLogs });
  const waf = webAclFor(scope, config, naming, "alb", "REGIONAL", `the ALB ${alb.lb.name}`, { behindCloudFront: cloudFrontPrefixListId !== undefined });
  waf?.associate("alb", alb.lb.arn);
  return alb;
}

/**
 * The prefix list the ALB admits instead of its CIDRs when it takes traffic from CloudFront
 * only (`compute.loadBalancer.ingressFrom`, by default when the CDN uses it as its origin).
 */
function albCloudFrontPrefixList(config: ResolvedSystemConfig): string | undefined {
  const lb = config.compute.loadBalancer!;
  if (albIngressFrom(lb, config.edge?.cdn?.defaultOrigin === "loadBalancer") !== "cloudfront") return undefined;
  const id = cloudFrontOriginFacingPrefixList(config.region);
  if (!id) {
    throw new ConfigError(
      "compute.loadBalancer.ingressFrom",
      "cloudfront",
      `needs the id of CloudFront's origin-facing prefix list in ${config.region}, which src/lib/cloudfront-prefix-lists.ts does not list`,
      "add it there (aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing), or set ingressFrom to \"cidrs\"",
    );
  }
  return id;
}

/**
 * The web ACL of one internet-facing entry point (`kind`: `alb`, `cdn`, `ingress`), from
 * `waf`; none when `waf` is null, which synth warns about outside dev.
 */
export function webAclFor(
  scope: Construct,
  config: ResolvedSystemConfig,
  naming: Naming,
  kind: string,
  aclScope: "REGIONAL" | "CLOUDFRONT",
  what: string,
  { provider, behindCloudFront }: Pick<WebAclProps, "provider" | "behindCloudFront"> = {},
): WebAcl | undefined {
  const waf = config.waf;
  if (!waf) {
    if (config.environment !== "dev") {
      Annotations.of(scope).addWarning(`waf is null: ${what} has no WAF web ACL (no rate limit, no AWS managed rules). Remove "waf": null to protect it (docs/security.md).`);
    }
    return undefined;
  }
  return new WebAcl(scope, `waf_${kind}`, {
    name: naming.name("webAcl", kind),
    scope: aclScope,
    settings: waf,
    provider,
    behindCloudFront,
  });
}

/** The load balancer's outputs: DNS name, zone, listeners, target groups, arn_suffix pair. */
function loadBalancerOutputs(stack: TerraformStack, lb: ApplicationLoadBalancer | NetworkLoadBalancer): void {
  const outputs: Record<string, { value: unknown; description: string }> = {
    load_balancer_arn: { value: lb.lb.arn, description: "The load balancer's ARN" },
    load_balancer_arn_suffix: { value: lb.lb.arnSuffix, description: "The load balancer's ARN suffix (first half of an ALBRequestCountPerTarget resource label)" },
    load_balancer_dns_name: { value: lb.lb.dnsName, description: "The load balancer's DNS name (point a CNAME or alias at it)" },
    load_balancer_zone_id: { value: lb.lb.zoneId, description: "The load balancer's Route 53 zone id (for alias records)" },
    load_balancer_security_group_id: { value: lb.securityGroup.id, description: "The load balancer's security group" },
  };
  if (lb instanceof ApplicationLoadBalancer) {
    if (lb.httpsListener) outputs.https_listener_arn = { value: lb.httpsListener.arn, description: "The HTTPS listener's ARN" };
    outputs.http_listener_arn = { value: lb.httpListener.arn, description: lb.httpsListener ? "The HTTP listener (redirect to HTTPS)" : "The HTTP listener (TLS is off)" };
    if (lb.accessLogBucket) outputs.access_log_bucket = { value: lb.accessLogBucket.name, description: "The access-log bucket" };
    const waf = stack.node.tryFindChild("waf_alb") as WebAcl | undefined;
    if (waf) outputs.web_acl_arn = { value: waf.arn, description: "The ALB's WAF web ACL" };
  } else {
    if (lb.accessLogBucket) outputs.access_log_bucket = { value: lb.accessLogBucket.name, description: "The access-log bucket" };
    outputs.listener_arn = { value: lb.listener.arn, description: `The ${lb.listener.protocolInput} listener's ARN` };
  }
  for (const [key, group] of Object.entries(lb.targetGroups) as [TargetGroupKey, { arn: string; arnSuffix: string }][]) {
    const prefix = key === "default" ? "target_group" : `${key}_target_group`;
    outputs[`${prefix}_arn`] = { value: group.arn, description: `The ${key === "default" ? "" : `${key} `}target group's ARN` };
    outputs[`${prefix}_arn_suffix`] = { value: group.arnSuffix, description: `The ${key === "default" ? "" : `${key} `}target group's ARN suffix (second half of the resource label)` };
  }
  for (const [id, o] of Object.entries(outputs)) new TerraformOutput(stack, id, o);
}

function outputKey(name: string): string {
  return name.replace(/-/g, "_");
}
