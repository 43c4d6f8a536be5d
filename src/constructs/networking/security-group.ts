import { Construct } from "constructs";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { ConfigError } from "../../lib/errors";
import { checkName } from "../../lib/naming";

/** A port or port range; `protocol` defaults to TCP. */
export interface PortRange {
  readonly from: number;
  /** @default from */
  readonly to?: number;
  /** @default "tcp" */
  readonly protocol?: "tcp" | "udp";
}

/** Where traffic comes from: another managed group, a group known only by id, CIDR blocks, or a managed prefix list. */
export type Peer =
  | ManagedSecurityGroup
  | { readonly name: string; readonly securityGroupId: string }
  | { readonly name: string; readonly cidrBlocks: readonly string[] }
  | { readonly name: string; readonly prefixListId: string };

export interface ManagedSecurityGroupProps {
  /** The group's name (`name` in AWS). */
  readonly groupName: string;
  readonly vpcId: string;
  /** What the group protects, as it is created (a later change is ignored: it would replace the group). */
  readonly description: string;
  /** Whether all outbound traffic is allowed. @default true */
  readonly allowAllOutbound?: boolean;
}

/**
 * A security group whose rules are written from intent (`db.allowFrom(app, 5432)`), one
 * `aws_vpc_security_group_ingress_rule` per peer and port, each addressed by what it
 * allows: `aws_vpc_security_group_ingress_rule.db_sg_ingress_5432_from_app`.
 */
export class ManagedSecurityGroup extends Construct {
  public readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: ManagedSecurityGroupProps) {
    super(scope, id);
    checkName("securityGroup", props.groupName, "groupName");
    this.securityGroup = new SecurityGroup(this, "group", {
      name: props.groupName,
      description: props.description,
      vpcId: props.vpcId,
      tags: { Name: props.groupName },
      // A changed description would replace the group, and the new one, created first, would
      // take the old one's name in the same VPC: AWS refuses that (InvalidGroup.Duplicate). The
      // description is what the group protected when it was created.
      lifecycle: { createBeforeDestroy: true, ignoreChanges: ["description"] },
    });
    if (props.allowAllOutbound ?? true) {
      new VpcSecurityGroupEgressRule(this, "egress_all", {
        securityGroupId: this.securityGroup.id,
        description: "All outbound traffic",
        ipProtocol: "-1",
        cidrIpv4: "0.0.0.0/0",
      });
    }
  }

  /** The group's id. */
  public get id(): string {
    return this.securityGroup.id;
  }

  /** Allows `port` in from `peer`. */
  public allowFrom(peer: Peer, port: number | PortRange, description: string): void {
    const range = typeof port === "number" ? { from: port } : port;
    const to = range.to ?? range.from;
    for (const p of [range.from, to]) {
      if (!Number.isInteger(p) || p < 1 || p > 65535) {
        throw new ConfigError("port", p, "is not a port number", "use a whole number from 1 to 65535");
      }
    }
    const ports = to === range.from ? `${range.from}` : `${range.from}-${to}`;
    const base = {
      securityGroupId: this.securityGroup.id,
      description,
      ipProtocol: range.protocol ?? "tcp",
      fromPort: range.from,
      toPort: to,
    };
    const ruleId = `ingress_${ports}_from_${peerName(peer)}`;
    if (peer instanceof ManagedSecurityGroup || "securityGroupId" in peer) {
      const source = peer instanceof ManagedSecurityGroup ? peer.id : peer.securityGroupId;
      new VpcSecurityGroupIngressRule(this, ruleId, { ...base, referencedSecurityGroupId: source });
    } else if ("prefixListId" in peer) {
      new VpcSecurityGroupIngressRule(this, ruleId, { ...base, prefixListId: peer.prefixListId });
    } else {
      peer.cidrBlocks.forEach((cidr, i) => {
        new VpcSecurityGroupIngressRule(this, peer.cidrBlocks.length === 1 ? ruleId : `${ruleId}_${i + 1}`, { ...base, cidrIpv4: cidr });
      });
    }
  }
}

function peerName(peer: Peer): string {
  return peer instanceof ManagedSecurityGroup ? peer.node.id : peer.name;
}
