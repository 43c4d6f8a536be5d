import { Construct } from "constructs";
import { DefaultRouteTable } from "@cdktf/provider-aws/lib/default-route-table";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { nested } from "../../lib/errors";
import { validateAzs } from "../../lib/availability-zones";
import { Naming } from "../../lib/naming";
import { planSubnets, Tier, TIERS } from "../../lib/subnet-plan";
import { VpcFlowLog } from "./flow-log";
import { eksZonePostconditions } from "./eks-zones";
import { azsOf, NetworkConfig } from "./settings";

/**
 * A network's settings, parsed: the `network` settings of a system, whose schema
 * (./settings.ts) declares each one's default and documentation once.
 */
export type NetworkSettings = NetworkConfig;

/** How many NAT gateways serve the private subnets. */
export type NatGatewayMode = NetworkSettings["natGateways"];

export interface NetworkProps {
  /** Names and `Name` tags: `<project>-<environment>-...`. */
  readonly naming: Naming;
  /** The region; its AZ letters decide where planned subnets go. */
  readonly region: string;
  /** CIDR, AZs, subnet tiers, NAT gateways, flow logs, EKS discovery tags. */
  readonly settings: NetworkSettings;
}

/**
 * A VPC over 2-6 AZs with public, private and isolated subnets, an internet gateway,
 * NAT gateways, route tables, flow logs, and the default security group and route
 * table emptied.
 *
 * Every per-AZ resource is keyed by its AZ (`network_nat_us-east-1a`), never by a list
 * position, and subnet CIDRs are planned by AZ letter, so adding an AZ only adds
 * resources. The shared NAT gateway of `natGateways: "single"` lives in the first AZ,
 * so switching to `one_per_az` keeps it and adds the others.
 */
export class Network extends Construct {
  public readonly vpc: Vpc;
  public readonly azs: readonly string[];
  public readonly internetGateway: InternetGateway;
  /** Subnets per tier, per AZ. A disabled tier has no entry. */
  public readonly subnets: Readonly<Partial<Record<Tier, Readonly<Record<string, Subnet>>>>>;
  /** Route tables per tier, per AZ. The public tier shares one table, listed under every AZ. */
  public readonly routeTables: Readonly<Partial<Record<Tier, Readonly<Record<string, RouteTable>>>>>;
  /** NAT gateways, by the AZ they sit in. */
  public readonly natGateways: Readonly<Record<string, NatGateway>>;
  public readonly defaultSecurityGroup: DefaultSecurityGroup;
  public readonly flowLog?: VpcFlowLog;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { naming, region, settings } = props;
    const cidr = settings.cidr;
    const azs = azsOf(settings, region);
    validateAzs(region, azs);
    const plan = planSubnets({
      cidr,
      region,
      azs,
      tiers: { public: settings.publicSubnets, private: settings.privateSubnets, isolated: settings.isolatedSubnets },
    });
    this.azs = azs;
    const prefix = naming.prefix;

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: `${prefix}-vpc` },
    });
    this.defaultSecurityGroup = this.emptyDefaults(prefix);
    this.internetGateway = new InternetGateway(this, "igw", {
      vpcId: this.vpc.id,
      tags: { Name: `${prefix}-igw` },
    });
    this.subnets = this.addSubnets(plan, prefix, settings.eksClusterNames, region);
    this.natGateways = this.addNatGateways(settings.natGateways, prefix);
    this.routeTables = this.addRouteTables(prefix);
    this.flowLog = this.addFlowLogs(props);
  }

  /** Nothing may use the default security group or route table: strip them. */
  private emptyDefaults(prefix: string): DefaultSecurityGroup {
    const defaultSecurityGroup = new DefaultSecurityGroup(this, "default_sg", {
      vpcId: this.vpc.id,
      tags: { Name: `${prefix}-default-do-not-use` },
    });
    new DefaultRouteTable(this, "default_rt", {
      defaultRouteTableId: this.vpc.defaultRouteTableId,
      route: [],
      tags: { Name: `${prefix}-default-do-not-use` },
    });
    return defaultSecurityGroup;
  }

  /** The subnets of each tier; with EKS clusters, the private ones (theirs) check their zone ids. */
  private addSubnets(plan: ReturnType<typeof planSubnets>, prefix: string, eksClusterNames: readonly string[], region: string): Partial<Record<Tier, Record<string, Subnet>>> {
    const subnets: Partial<Record<Tier, Record<string, Subnet>>> = {};
    const eksChecks = eksClusterNames.length > 0 ? eksZonePostconditions(region) : undefined;
    for (const tier of TIERS) {
      const cidrs = plan[tier];
      if (!cidrs) continue;
      subnets[tier] = {};
      for (const az of this.azs) {
        subnets[tier]![az] = new Subnet(this, `${tier}_${az}`, {
          vpcId: this.vpc.id,
          cidrBlock: cidrs[az],
          availabilityZone: az,
          mapPublicIpOnLaunch: false,
          tags: { Name: `${prefix}-${tier}-${az}`, Tier: tier, ...subnetDiscoveryTags(tier, eksClusterNames) },
          lifecycle: tier === "private" && eksChecks ? { postcondition: eksChecks } : undefined,
        });
      }
    }
    return subnets;
  }

  /** NAT: one per AZ, or one shared in the first AZ. */
  private addNatGateways(mode: NatGatewayMode, prefix: string): Record<string, NatGateway> {
    const natAzs = mode === "single" ? [this.azs[0]] : this.azs;
    const natGateways: Record<string, NatGateway> = {};
    for (const az of natAzs) {
      const eip = new Eip(this, `nat_eip_${az}`, {
        domain: "vpc",
        tags: { Name: `${prefix}-nat-${az}` },
        dependsOn: [this.internetGateway],
      });
      natGateways[az] = new NatGateway(this, `nat_${az}`, {
        allocationId: eip.id,
        subnetId: this.subnets.public![az].id,
        tags: { Name: `${prefix}-nat-${az}` },
        dependsOn: [this.internetGateway],
      });
    }
    return natGateways;
  }

  /** One public table routed to the internet gateway; per AZ, a private table routed to NAT and an isolated one. */
  private addRouteTables(prefix: string): Partial<Record<Tier, Record<string, RouteTable>>> {
    const routeTables: Partial<Record<Tier, Record<string, RouteTable>>> = { public: {}, private: {} };
    const publicRt = new RouteTable(this, "public_rt", {
      vpcId: this.vpc.id,
      tags: { Name: `${prefix}-public`, Tier: "public" },
    });
    new Route(this, "public_internet", {
      routeTableId: publicRt.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: this.internetGateway.id,
    });
    for (const az of this.azs) {
      routeTables.public![az] = publicRt;
      new RouteTableAssociation(this, `public_rta_${az}`, { subnetId: this.subnets.public![az].id, routeTableId: publicRt.id });
      routeTables.private![az] = this.addPrivateRouteTable(az, prefix);
      const isolated = this.subnets.isolated;
      if (isolated) (routeTables.isolated ??= {})[az] = this.addIsolatedRouteTable(az, prefix, isolated[az]);
    }
    return routeTables;
  }

  private addPrivateRouteTable(az: string, prefix: string): RouteTable {
    const privateRt = new RouteTable(this, `private_rt_${az}`, {
      vpcId: this.vpc.id,
      tags: { Name: `${prefix}-private-${az}`, Tier: "private" },
    });
    new Route(this, `private_nat_${az}`, {
      routeTableId: privateRt.id,
      destinationCidrBlock: "0.0.0.0/0",
      natGatewayId: (this.natGateways[az] ?? this.natGateways[this.azs[0]]).id,
    });
    new RouteTableAssociation(this, `private_rta_${az}`, { subnetId: this.subnets.private![az].id, routeTableId: privateRt.id });
    return privateRt;
  }

  /** Isolated: only the VPC-local route, never a default route. */
  private addIsolatedRouteTable(az: string, prefix: string, subnet: Subnet): RouteTable {
    const isolatedRt = new RouteTable(this, `isolated_rt_${az}`, {
      vpcId: this.vpc.id,
      tags: { Name: `${prefix}-isolated-${az}`, Tier: "isolated" },
    });
    new RouteTableAssociation(this, `isolated_rta_${az}`, { subnetId: subnet.id, routeTableId: isolatedRt.id });
    return isolatedRt;
  }

  private addFlowLogs(props: NetworkProps): VpcFlowLog | undefined {
    const flowLogs = props.settings.flowLogs;
    if (!flowLogs.enabled) return undefined;
    return nested("flowLogs", () => new VpcFlowLog(this, "flow_logs", {
      vpcId: this.vpc.id,
      naming: props.naming,
      region: props.region,
      settings: flowLogs,
    }));
  }

  /** The subnet ids of a tier, in the order of `azs`. Empty for a disabled tier. */
  public subnetIds(tier: Tier): string[] {
    const byAz = this.subnets[tier];
    return byAz ? this.azs.map((az) => byAz[az].id) : [];
  }

  /** The distinct route table ids of a tier, in the order of `azs`. */
  public routeTableIds(tier: Tier): string[] {
    const byAz = this.routeTables[tier];
    return byAz ? [...new Set(this.azs.map((az) => byAz[az]))].map((table) => table.id) : [];
  }
}

/** Tags that let the AWS Load Balancer Controller and EKS find the right subnets. */
function subnetDiscoveryTags(tier: Tier, clusters: readonly string[]): Record<string, string> {
  if (tier === "isolated") return {};
  const tags: Record<string, string> = tier === "public" ? { "kubernetes.io/role/elb": "1" } : { "kubernetes.io/role/internal-elb": "1" };
  for (const cluster of clusters) tags[`kubernetes.io/cluster/${cluster}`] = "shared";
  return tags;
}
