import { synthStack } from "../harness/synth";

/**
 * Resource addresses are a public contract: renaming a construct id changes an address,
 * and Terraform then destroys and recreates the resource. This test pins every address of
 * the networking stack so that such a rename shows up in review. If you change an address
 * on purpose, add a `moved` block for existing users and update this list.
 */
describe("networking stack addresses (ode-prod-network)", () => {
  const json = synthStack({ systems: ["ode"], environments: ["prod"] }, "ode-prod-network");
  const perAz = (pattern: string) => ["us-east-1a", "us-east-1b", "us-east-1c"].map((az) => pattern.replace("{az}", az));

  it("are exactly these", () => {
    const addresses = Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
    expect(addresses.sort()).toEqual(
      [
        "aws_cloudwatch_log_group.network_flow_logs_log_group",
        "aws_default_route_table.network_default_rt",
        "aws_default_security_group.network_default_sg",
        ...perAz("aws_eip.network_nat_eip_{az}"),
        "aws_flow_log.network_flow_logs_flow_log",
        "aws_iam_role.network_flow_logs_role",
        "aws_iam_role_policy.network_flow_logs_policy",
        "aws_internet_gateway.network_igw",
        ...perAz("aws_nat_gateway.network_nat_{az}"),
        ...perAz("aws_route.network_private_nat_{az}"),
        "aws_route.network_public_internet",
        ...perAz("aws_route_table.network_isolated_rt_{az}"),
        ...perAz("aws_route_table.network_private_rt_{az}"),
        "aws_route_table.network_public_rt",
        ...perAz("aws_route_table_association.network_isolated_rta_{az}"),
        ...perAz("aws_route_table_association.network_private_rta_{az}"),
        ...perAz("aws_route_table_association.network_public_rta_{az}"),
        ...perAz("aws_subnet.network_isolated_{az}"),
        ...perAz("aws_subnet.network_private_{az}"),
        ...perAz("aws_subnet.network_public_{az}"),
        "aws_vpc.network_vpc",
      ].sort(),
    );
  });

  it("export the outputs other stacks and teams read", () => {
    expect(Object.keys(json.output ?? {}).sort()).toEqual([
      "azs",
      "isolated_route_table_ids",
      "isolated_subnet_ids",
      "nat_gateway_ids",
      "nat_public_ips",
      "private_route_table_ids",
      "private_subnet_ids",
      "public_route_table_ids",
      "public_subnet_ids",
      "vpc_cidr_block",
      "vpc_id",
    ]);
    expect(json.output!.public_route_table_ids.value).toEqual(["${aws_route_table.network_public_rt.id}"]);
  });

  it("carry the common tags through the provider's default_tags", () => {
    expect(json.provider!.aws[0]).toMatchObject({
      region: "us-east-1",
      default_tags: [{ tags: { Project: "ode", Environment: "prod", ManagedBy: "cdktf" } }],
    });
  });
});
