import { Construct } from "constructs";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { LoadBalancerConfig, TLS_POLICIES } from "./settings";
import { ConfigError } from "../../lib/errors";
import { ManagedSecurityGroup } from "../networking/security-group";

/** What every internet-facing load balancer of this project is placed with. */
export interface LoadBalancerPlacementProps {
  /** The load balancer's name, at most 32 characters. */
  readonly name: string;
  readonly vpcId: string;
  /** The VPC's CIDR: the load balancer may only send traffic into the VPC, on the target port. */
  readonly vpcCidr: string;
  /** The public subnets. */
  readonly subnetIds: string[];
  /** AWS-side deletion protection. @default true */
  readonly deletionProtection?: boolean;
}

/**
 * The deletion protection of a load balancer, on both sides: AWS's, and Terraform's
 * `prevent_destroy`. With AWS's alone, a plan that replaces the load balancer (an NLB losing a
 * subnet, a new name) deletes its listeners first, then AWS refuses the delete: the apply fails
 * with traffic already stopped. Terraform's refuses that plan before anything is deleted.
 */
export function deletionProtectionOf(props: Pick<LoadBalancerPlacementProps, "deletionProtection">): { enableDeletionProtection: boolean; lifecycle: { preventDestroy: boolean } } {
  const on = props.deletionProtection ?? true;
  return { enableDeletionProtection: on, lifecycle: { preventDestroy: on } };
}

/** TLS at a load balancer: the `tls` settings, parsed (the ALPN policy is the NLB's only). */
export type LoadBalancerTls = LoadBalancerConfig["tls"];

/**
 * Checks a load balancer's TLS settings: a certificate when TLS is on, and a policy from
 * the TLS 1.2+ allow-list. Returns the policy to use.
 * @param listener what terminates TLS, for the message (e.g. "an HTTPS listener")
 * @param withoutTls what turning TLS off means, for the fix
 */
export function checkLoadBalancerTls(tls: LoadBalancerTls, listener: string, withoutTls: string): string {
  const sslPolicy = tls.sslPolicy;
  if (tls.enabled && !tls.certificateArn) {
    throw new ConfigError("tls.certificateArn", undefined, `is required: TLS is on, and ${listener} needs a certificate`, `give an ACM certificate ARN, or set tls.enabled to false (${withoutTls})`);
  }
  if (!(TLS_POLICIES as readonly string[]).includes(sslPolicy)) {
    throw new ConfigError("tls.sslPolicy", sslPolicy, "is not on the allow-list of TLS 1.2+ policies", `use one of ${TLS_POLICIES.join(", ")}`);
  }
  return sslPolicy;
}

export interface LoadBalancerSecurityGroupProps {
  readonly name: string;
  readonly vpcId: string;
  /** The VPC's CIDR: the only place the load balancer may send to. */
  readonly vpcCidr: string;
  readonly description: string;
  /** Who may reach the listeners. */
  readonly ingressCidrs: readonly string[];
  /** The listener ports open to `ingressCidrs`, with what each is for. */
  readonly listeners: readonly { readonly port: number; readonly description: string }[];
  /** Instead of the CIDRs: one managed prefix list, on one port. @default the CIDRs */
  readonly ingressPrefixList?: { readonly name: string; readonly prefixListId: string; readonly port: number; readonly description: string };
  /** The service behind the load balancer: its name and port. */
  readonly target: { readonly service: string; readonly port: number };
}

/**
 * A load balancer's security group: the listener ports from the clients' CIDRs, and out
 * only into the VPC on the target port (traffic and health checks), nothing else.
 */
export function loadBalancerSecurityGroup(scope: Construct, props: LoadBalancerSecurityGroupProps): ManagedSecurityGroup {
  const group = new ManagedSecurityGroup(scope, "sg", {
    groupName: props.name,
    vpcId: props.vpcId,
    description: props.description,
    allowAllOutbound: false,
  });
  const prefixList = props.ingressPrefixList;
  if (prefixList) {
    group.allowFrom({ name: prefixList.name, prefixListId: prefixList.prefixListId }, prefixList.port, prefixList.description);
  } else {
    for (const cidr of props.ingressCidrs) {
      const peer = { name: cidrPeerName(cidr), cidrBlocks: [cidr] };
      for (const listener of props.listeners) group.allowFrom(peer, listener.port, listener.description);
    }
  }
  new VpcSecurityGroupEgressRule(scope, `sg_egress_${props.target.port}_to_vpc`, {
    securityGroupId: group.id,
    description: `To the ${props.target.service} targets and their health checks`,
    ipProtocol: "tcp",
    fromPort: props.target.port,
    toPort: props.target.port,
    cidrIpv4: props.vpcCidr,
  });
  return group;
}

/** A readable, stable name for a CIDR peer: `anywhere` for 0.0.0.0/0, else the CIDR with `_`. */
export function cidrPeerName(cidr: string): string {
  return cidr === "0.0.0.0/0" ? "anywhere" : cidr.replace(/[./]/g, "_");
}
