import { Construct } from "constructs";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { LoadBalancerConfig } from "../alb/settings";
import { ConfigError } from "../../lib/errors";
import { checkNlbAccessLogs } from "./checks";
import { checkName } from "../../lib/naming";
import { LoadBalancedService } from "../alb/application-load-balancer";
import { checkLoadBalancerTls, deletionProtectionOf, LoadBalancerPlacementProps, LoadBalancerTls, loadBalancerSecurityGroup } from "../alb/load-balancer-security";
import { ILoadBalancer, pickTargetGroup } from "../alb/load-balancer";
import { appTargetGroup, TargetGroupKey } from "../alb/target-group";
import { ManagedSecurityGroup } from "../networking/security-group";
import { SecureBucket } from "../storage/secure-bucket";
import { accessLogBucket, LoadBalancerAccessLogs } from "../alb/elb-log-delivery";

/** An NLB's settings, parsed: the part of the `compute.loadBalancer` settings it reads, each defaulted once by the schema. */
export type NetworkLoadBalancerSettings = Pick<LoadBalancerConfig, "ingressCidrs" | "tls" | "port" | "crossZone">;

export interface NetworkLoadBalancerProps extends LoadBalancerPlacementProps {
  /**
   * Who may reach the listener, its port, cross-zone balancing, and TLS. TLS off: a TCP
   * listener passing TLS through to the instances (Joblet). On: a TLS listener terminating
   * with the certificate and an optional ALPN policy (gRPC at the NLB).
   */
  readonly settings: NetworkLoadBalancerSettings;
  /**
   * Access logs to a bucket created here (AWS logs only the TLS listener of an NLB), with the
   * region and, to limit delivery to this account's load balancers, the account id. @default none
   */
  readonly accessLogs?: LoadBalancerAccessLogs & { readonly region: string };
  /** The service behind the load balancer (one TCP target group). */
  readonly target: LoadBalancedService;
}

/**
 * An internet-facing Network Load Balancer in the public subnets, with cross-zone load
 * balancing and its own security group (the listener port from `ingressCidrs`; out only to
 * the VPC on the target port), forwarding to a TCP target group health checked by a TCP
 * connect. The listener is TCP passthrough, or TLS termination with an ALPN policy.
 */
export class NetworkLoadBalancer extends Construct implements ILoadBalancer {
  public readonly type = "nlb" as const;
  public readonly securityGroup: ManagedSecurityGroup;
  public readonly lb: Lb;
  public readonly targetGroups: Readonly<Partial<Record<TargetGroupKey, LbTargetGroup>>>;
  public readonly listener: LbListener;
  public readonly accessLogBucket?: SecureBucket;
  public readonly targetPort: number;

  constructor(scope: Construct, id: string, props: NetworkLoadBalancerProps) {
    super(scope, id);
    checkName("loadBalancer", props.name, "name");
    const port = props.settings.port;
    const sslPolicy = checkLoadBalancerTls(props.settings.tls, "a TLS listener", "TCP passthrough");
    const groups = Object.keys(props.target.targetGroupNames);
    if (groups.some((k) => k !== "default")) {
      throw new ConfigError("target.targetGroupNames", groups, "names a target group per color, but an NLB listener forwards to one target group", "give only the default target group (blue-green on an NLB shares it)");
    }
    this.targetPort = props.target.port;

    this.securityGroup = this.addSecurityGroup(props, port);
    if (props.accessLogs) this.accessLogBucket = this.addAccessLogBucket(props.settings.tls, props.accessLogs);
    this.lb = this.addLoadBalancer(props);
    const group = this.addTargetGroup(props);
    this.targetGroups = { default: group };
    this.listener = this.addListener(props.settings.tls, port, sslPolicy, group);
  }

  /** The NLB's security group: the listener port in, the target port out. */
  private addSecurityGroup(props: NetworkLoadBalancerProps, port: number): ManagedSecurityGroup {
    const tls = props.settings.tls;
    return loadBalancerSecurityGroup(this, {
      name: props.name,
      vpcId: props.vpcId,
      vpcCidr: props.vpcCidr,
      description: `NLB ${props.name}: ${tls.enabled ? "TLS" : "TCP passthrough"} on ${port} from clients`,
      ingressCidrs: props.settings.ingressCidrs,
      listeners: [{ port, description: `${tls.enabled ? "TLS" : "TCP (TLS passthrough)"} from clients` }],
      target: props.target,
    });
  }

  /** The access-log bucket; AWS logs only a TLS listener, so TCP passthrough refuses it. */
  private addAccessLogBucket(tls: LoadBalancerTls, accessLogs: NonNullable<NetworkLoadBalancerProps["accessLogs"]>): SecureBucket {
    checkNlbAccessLogs(tls, accessLogs);
    return accessLogBucket(this, "nlb", accessLogs);
  }

  /** The load balancer itself, in the public subnets, cross-zone, with its access logs when configured. */
  private addLoadBalancer(props: NetworkLoadBalancerProps): Lb {
    return new Lb(this, "lb", {
      name: props.name,
      loadBalancerType: "network",
      internal: false,
      subnets: props.subnetIds,
      securityGroups: [this.securityGroup.id],
      enableCrossZoneLoadBalancing: props.settings.crossZone,
      ...deletionProtectionOf(props),
      accessLogs: this.accessLogBucket ? { bucket: this.accessLogBucket.name, prefix: props.accessLogs?.settings.prefix || undefined, enabled: true } : undefined,
      dependsOn: this.accessLogBucket ? [this.accessLogBucket.policy] : undefined,
      tags: { Name: props.name },
    });
  }

  /** The service's one TCP target group (`tg_<service>`). */
  private addTargetGroup(props: NetworkLoadBalancerProps): LbTargetGroup {
    const target = props.target;
    return appTargetGroup(this, `tg_${target.service}`, {
      name: target.targetGroupNames.default!,
      vpcId: props.vpcId,
      port: target.port,
      protocol: "TCP",
      settings: target.settings,
    });
  }

  /** The listener (`tls` or `tcp`): TLS termination with an optional ALPN policy, or TCP passthrough. */
  private addListener(tls: LoadBalancerTls, port: number, sslPolicy: string, group: LbTargetGroup): LbListener {
    return new LbListener(this, tls.enabled ? "tls" : "tcp", {
      loadBalancerArn: this.lb.arn,
      port,
      protocol: tls.enabled ? "TLS" : "TCP",
      sslPolicy: tls.enabled ? sslPolicy : undefined,
      certificateArn: tls.enabled ? tls.certificateArn : undefined,
      alpnPolicy: tls.enabled ? tls.alpnPolicy : undefined,
      defaultAction: [{ type: "forward", targetGroupArn: group.arn }],
    });
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
