import { Construct } from "constructs";
import { Annotations } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener, LbListenerDefaultAction } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { isPlaceholderCertificate } from "../../lib/placeholders";
import { checkName } from "../../lib/naming";
import { ManagedSecurityGroup } from "../networking/security-group";
import { checkLoadBalancerTls, deletionProtectionOf, LoadBalancerPlacementProps, loadBalancerSecurityGroup } from "./load-balancer-security";
import { LoadBalancerConfig } from "./settings";
import { SecureBucket } from "../storage/secure-bucket";
import { accessLogBucket, LoadBalancerAccessLogs } from "./elb-log-delivery";
import { ILoadBalancer, pickTargetGroup } from "./load-balancer";
import { appTargetGroup, TargetGroupKey, TargetGroupSettings } from "./target-group";

/** The service behind a load balancer, and its target group(s). */
export interface LoadBalancedService {
  /** The service's name, e.g. `api`: keys the target groups (`tg_api`) and the outputs. */
  readonly service: string;
  /** The instances' port. */
  readonly port: number;
  /** Target group names by key: `default`, or `blue` and `green` for a weighted pair. */
  readonly targetGroupNames: Readonly<Partial<Record<TargetGroupKey, string>>>;
  /** The forward weights of a `blue`/`green` pair. @default { blue: 100, green: 0 } */
  readonly weights?: { readonly blue: number; readonly green: number };
  /** The service's `targetGroup` settings: protocol version (ALB only), health check, stickiness, draining. */
  readonly settings: TargetGroupSettings;
}

/** An ALB's settings, parsed: the part of the `compute.loadBalancer` settings it reads, each defaulted once by the schema (./settings.ts). */
export type ApplicationLoadBalancerSettings = Pick<LoadBalancerConfig, "ingressCidrs" | "tls" | "idleTimeoutSeconds">;

export interface ApplicationLoadBalancerProps extends LoadBalancerPlacementProps {
  /** The region, for the access-log delivery principal. */
  readonly region: string;
  /**
   * Who may reach the listeners; TLS (HTTPS on 443 plus a redirect on 80, or, explicitly
   * off, plain HTTP on 80); the idle timeout.
   */
  readonly settings: ApplicationLoadBalancerSettings;
  /**
   * Admit only CloudFront's origin-facing servers (this managed prefix list, for the region),
   * on the port CloudFront uses: 443, or 80 with TLS off. @default `ingressCidrs` on every listener port
   */
  readonly cloudFrontPrefixListId?: string;
  /** Access logs to a bucket created here. @default none */
  readonly accessLogs?: LoadBalancerAccessLogs;
  /** The service behind the load balancer. */
  readonly target: LoadBalancedService;
}

/**
 * An internet-facing Application Load Balancer in the public subnets, with its own
 * security group (443 and 80 from `ingressCidrs`; out only to the VPC on the target port),
 * an HTTPS listener with an allow-listed TLS policy, an HTTP listener that redirects to
 * HTTPS with a 301, invalid header fields dropped, and the target group(s) of the service
 * behind it: one, or a blue/green pair behind a weighted forward.
 *
 * With TLS explicitly off, a plain HTTP listener forwards instead, and synth warns.
 */
export class ApplicationLoadBalancer extends Construct implements ILoadBalancer {
  public readonly type = "alb" as const;
  public readonly securityGroup: ManagedSecurityGroup;
  public readonly lb: Lb;
  public readonly targetGroups: Readonly<Partial<Record<TargetGroupKey, LbTargetGroup>>>;
  /** The HTTPS listener (absent with TLS off). */
  public readonly httpsListener?: LbListener;
  /** The HTTP listener: the redirect, or with TLS off the forward. */
  public readonly httpListener: LbListener;
  public readonly accessLogBucket?: SecureBucket;
  public readonly targetPort: number;

  constructor(scope: Construct, id: string, props: ApplicationLoadBalancerProps) {
    super(scope, id);
    checkName("loadBalancer", props.name, "name");
    const sslPolicy = checkLoadBalancerTls(props.settings.tls, "an HTTPS listener", "plain HTTP, dev only");
    this.targetPort = props.target.port;

    this.securityGroup = this.addSecurityGroup(props);
    if (props.accessLogs) this.accessLogBucket = accessLogBucket(this, "alb", { ...props.accessLogs, region: props.region });
    this.lb = this.addLoadBalancer(props);
    this.targetGroups = this.addTargetGroups(props);
    const { https, http } = this.addListeners(props, sslPolicy, forwardAction(this.targetGroups, props.target.weights));
    this.httpsListener = https;
    this.httpListener = http;
  }

  /** The ALB's security group: 443 and 80 (or 80 alone with TLS off) in, the target port out. */
  private addSecurityGroup(props: ApplicationLoadBalancerProps): ManagedSecurityGroup {
    const tls = props.settings.tls;
    return loadBalancerSecurityGroup(this, {
      name: props.name,
      vpcId: props.vpcId,
      vpcCidr: props.vpcCidr,
      description: `ALB ${props.name}: ${tls.enabled ? "HTTPS 443 and the 80 to 443 redirect" : "plain HTTP 80"} from clients`,
      ingressCidrs: props.settings.ingressCidrs,
      listeners: tls.enabled
        ? [
            { port: 443, description: "HTTPS from clients" },
            { port: 80, description: "HTTP from clients, redirected to HTTPS" },
          ]
        : [{ port: 80, description: "HTTP from clients (TLS is off)" }],
      ingressPrefixList: props.cloudFrontPrefixListId
        ? {
            name: "cloudfront",
            prefixListId: props.cloudFrontPrefixListId,
            port: tls.enabled ? 443 : 80,
            description: `${tls.enabled ? "HTTPS" : "HTTP"} from CloudFront origin-facing servers only`,
          }
        : undefined,
      target: props.target,
    });
  }

  /** The load balancer itself, in the public subnets, with its access logs when configured. */
  private addLoadBalancer(props: ApplicationLoadBalancerProps): Lb {
    return new Lb(this, "lb", {
      name: props.name,
      loadBalancerType: "application",
      internal: false,
      subnets: props.subnetIds,
      securityGroups: [this.securityGroup.id],
      dropInvalidHeaderFields: true,
      ...deletionProtectionOf(props),
      enableHttp2: true,
      idleTimeout: props.settings.idleTimeoutSeconds,
      accessLogs: this.accessLogBucket
        ? { bucket: this.accessLogBucket.name, prefix: props.accessLogs?.settings.prefix || undefined, enabled: true }
        : undefined,
      dependsOn: this.accessLogBucket ? [this.accessLogBucket.policy] : undefined,
      tags: { Name: props.name },
    });
  }

  /** The service's target group(s): `tg_<service>`, or `tg_<service>_blue` and `tg_<service>_green`. */
  private addTargetGroups(props: ApplicationLoadBalancerProps): Partial<Record<TargetGroupKey, LbTargetGroup>> {
    const target = props.target;
    const groups: Partial<Record<TargetGroupKey, LbTargetGroup>> = {};
    for (const [key, name] of Object.entries(target.targetGroupNames) as [TargetGroupKey, string][]) {
      groups[key] = appTargetGroup(this, key === "default" ? `tg_${target.service}` : `tg_${target.service}_${key}`, {
        name,
        vpcId: props.vpcId,
        port: target.port,
        protocol: "HTTP",
        settings: target.settings,
      });
    }
    return groups;
  }

  /** HTTPS on 443 with the HTTP redirect on 80, or with TLS off a plain HTTP forward on 80 (synth warns). */
  private addListeners(props: ApplicationLoadBalancerProps, sslPolicy: string, forward: LbListenerDefaultAction): { https?: LbListener; http: LbListener } {
    const tls = props.settings.tls;
    if (tls.enabled) {
      const https = new LbListener(this, "https", {
        loadBalancerArn: this.lb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy,
        certificateArn: tls.certificateArn,
        defaultAction: [forward],
      });
      const http = new LbListener(this, "http", {
        loadBalancerArn: this.lb.arn,
        port: 80,
        protocol: "HTTP",
        defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
      });
      if (isPlaceholderCertificate(tls.certificateArn)) {
        Annotations.of(https).addWarning(
          `${props.name}: the HTTPS listener uses the presets' placeholder certificate ${tls.certificateArn}, which does not exist. ` +
            "Set compute.loadBalancer.tls.certificateArn to your ACM certificate before applying (see docs/compute.md).",
        );
      }
      return { https, http };
    }
    const http = new LbListener(this, "http", {
      loadBalancerArn: this.lb.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [forward],
    });
    Annotations.of(http).addWarning(
      `${props.name}: TLS is off (compute.loadBalancer.tls.enabled = false): the ALB serves plain HTTP on port 80 with no HTTPS listener. ` +
        "Use this for development only; give a certificate ARN to serve HTTPS.",
    );
    return { http };
  }

  public get securityGroupId(): string {
    return this.securityGroup.id;
  }

  public get arnSuffix(): string {
    return this.lb.arnSuffix;
  }

  public targetGroup(key: TargetGroupKey): LbTargetGroup {
    return pickTargetGroup(this.node.path, this.targetGroups, key);
  }
}

/** A forward to the one target group, or a weighted forward to a blue/green pair. */
export function forwardAction(
  groups: Readonly<Partial<Record<TargetGroupKey, LbTargetGroup>>>,
  weights: { readonly blue: number; readonly green: number } = { blue: 100, green: 0 },
): LbListenerDefaultAction {
  if (groups.default) return { type: "forward", targetGroupArn: groups.default.arn };
  if (!groups.blue || !groups.green) throw new Error("a load balancer needs a default target group, or both blue and green");
  return {
    type: "forward",
    forward: {
      targetGroup: [
        { arn: groups.blue.arn, weight: weights.blue },
        { arn: groups.green.arn, weight: weights.green },
      ],
    },
  };
}
