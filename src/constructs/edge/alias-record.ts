import { Construct } from "constructs";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";

/** Where an alias record points: a CloudFront distribution, a load balancer, or any other alias target. */
export interface AliasTarget {
  /** The target's DNS name (a distribution's `domain_name`, a load balancer's `dns_name`). */
  readonly dnsName: string;
  /** The target's hosted zone id (CloudFront's `Z2FDTNDATAQYW2`, a load balancer's `zone_id`). */
  readonly zoneId: string;
  /** Whether Route 53 follows the target's own health. */
  readonly evaluateTargetHealth: boolean;
}

export interface AliasRecordsProps {
  /** The hosted zone's id. */
  readonly zoneId: string;
  /** The record's name, e.g. `app.example.com`. */
  readonly name: string;
  readonly target: AliasTarget;
  /** Also an AAAA record (the target must answer over IPv6: CloudFront with IPv6 on, a dualstack load balancer). @default false */
  readonly ipv6?: boolean;
  /** Failover routing: this record's role, its set identifier, and (for the primary) the health check deciding it. @default simple routing */
  readonly failover?: { readonly role: "PRIMARY" | "SECONDARY"; readonly setIdentifier: string; readonly healthCheckId?: string };
}

/**
 * Route 53 alias records for one name: `a` (A), and `aaaa` (AAAA) when the target serves
 * IPv6. Alias records cost nothing to query and follow the target's addresses as they change.
 */
export class AliasRecords extends Construct {
  public readonly a: Route53Record;
  public readonly aaaa?: Route53Record;

  constructor(scope: Construct, id: string, props: AliasRecordsProps) {
    super(scope, id);
    const failover = props.failover;
    const common = {
      zoneId: props.zoneId,
      name: props.name,
      alias: { name: props.target.dnsName, zoneId: props.target.zoneId, evaluateTargetHealth: props.target.evaluateTargetHealth },
      ...(failover
        ? { failoverRoutingPolicy: { type: failover.role }, setIdentifier: failover.setIdentifier, healthCheckId: failover.healthCheckId }
        : {}),
    };
    this.a = new Route53Record(this, "a", { ...common, type: "A" });
    if (props.ipv6) this.aaaa = new Route53Record(this, "aaaa", { ...common, type: "AAAA" });
  }
}
