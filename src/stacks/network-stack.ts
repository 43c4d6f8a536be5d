import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { Network } from "../constructs/networking";
import { AwsStack, StackContext } from "./aws-stack";

/**
 * The network layer: one {@link Network} and the outputs other stacks and other teams'
 * Terraform read (`terraform_remote_state`). Lists are in the order of `azs`.
 */
export class NetworkStack extends AwsStack {
  public readonly network: Network;

  constructor(scope: Construct, context: StackContext) {
    super(scope, "network", context);
    this.network = new Network(this, "network", { naming: this.naming, region: this.config.region, settings: context.config.network });

    const n = this.network;
    const outputs: Record<string, { value: unknown; description: string }> = {
      vpc_id: { value: n.vpc.id, description: "The VPC id" },
      vpc_cidr_block: { value: n.vpc.cidrBlock, description: "The VPC's IPv4 CIDR" },
      azs: { value: n.azs, description: "The AZs, in the order of the subnet lists" },
      public_subnet_ids: { value: n.subnetIds("public"), description: "Public subnet ids, one per AZ" },
      private_subnet_ids: { value: n.subnetIds("private"), description: "Private subnet ids, one per AZ" },
      isolated_subnet_ids: { value: n.subnetIds("isolated"), description: "Isolated subnet ids, one per AZ (empty if disabled)" },
      public_route_table_ids: { value: n.routeTableIds("public"), description: "The public route table id" },
      private_route_table_ids: { value: n.routeTableIds("private"), description: "Private route table ids, one per AZ" },
      isolated_route_table_ids: { value: n.routeTableIds("isolated"), description: "Isolated route table ids, one per AZ" },
      nat_gateway_ids: { value: Object.values(n.natGateways).map((g) => g.id), description: "NAT gateway ids" },
      nat_public_ips: { value: Object.values(n.natGateways).map((g) => g.publicIp), description: "NAT gateways' public IPs" },
    };
    for (const [id, o] of Object.entries(outputs)) new TerraformOutput(this, id, o);
  }
}
