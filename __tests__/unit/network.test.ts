import { Testing } from "cdktf";
import { Network } from "../../src/constructs/networking";
import { NetworkConfigInput, NetworkConfigSchema } from "../../src/constructs/networking/settings";
import { Naming } from "../../src/lib/naming";
import { BaseStack } from "../../src/stacks/base-stack";
import { resourcesOf, StackJson } from "../harness/synth";

class TestStack extends BaseStack {}

/** A network of settings parsed by the module's schema, so each default is the schema's. */
function synthNetwork(settings: NetworkConfigInput = {}): StackJson {
  const stack = new TestStack(Testing.app(), "test");
  new Network(stack, "network", { naming: new Naming("acme", "prod"), region: "us-east-1", settings: NetworkConfigSchema.parse(settings) });
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

describe("Network", () => {
  const json = synthNetwork();

  it("creates a VPC with DNS support and hostnames", () => {
    expect(resourcesOf(json, "aws_vpc").network_vpc).toMatchObject({
      cidr_block: "10.0.0.0/16",
      enable_dns_support: true,
      enable_dns_hostnames: true,
    });
  });

  it("creates public, private and isolated subnets in each of 3 AZs, keyed by AZ", () => {
    const subnets = resourcesOf(json, "aws_subnet");
    expect(Object.keys(subnets).sort()).toEqual(
      ["isolated", "private", "public"].flatMap((t) => ["a", "b", "c"].map((l) => `network_${t}_us-east-1${l}`)),
    );
    expect(subnets["network_private_us-east-1b"]).toMatchObject({ availability_zone: "us-east-1b", cidr_block: "10.0.144.0/20" });
    for (const subnet of Object.values(subnets)) expect(subnet.map_public_ip_on_launch).toBe(false);
  });

  it("tags subnets for load balancer discovery", () => {
    const subnets = resourcesOf(json, "aws_subnet");
    expect(subnets["network_public_us-east-1a"].tags).toMatchObject({ "kubernetes.io/role/elb": "1", Tier: "public" });
    expect(subnets["network_private_us-east-1a"].tags).toMatchObject({ "kubernetes.io/role/internal-elb": "1", Tier: "private" });
    expect(subnets["network_isolated_us-east-1a"].tags).not.toHaveProperty("kubernetes.io/role/elb");
  });

  it("tags public and private subnets for the EKS clusters named", () => {
    const subnets = resourcesOf(synthNetwork({ eksClusterNames: ["ode-prod-cluster"] }), "aws_subnet");
    expect(subnets["network_private_us-east-1c"].tags).toMatchObject({ "kubernetes.io/cluster/ode-prod-cluster": "shared" });
    expect(subnets["network_isolated_us-east-1c"].tags).not.toHaveProperty("kubernetes.io/cluster/ode-prod-cluster");
  });

  it("checks, with an EKS cluster, that each private subnet's zone id is one EKS takes (which only AWS knows)", () => {
    const subnets = resourcesOf(synthNetwork({ eksClusterNames: ["ode-prod-cluster"] }), "aws_subnet");
    for (const az of ["a", "b", "c"]) {
      const [check] = (subnets[`network_private_us-east-1${az}`].lifecycle as { postcondition: { condition: string; error_message: string }[] }).postcondition;
      expect(check.condition).toBe('${!contains(["use1-az3"], self.availability_zone_id)}');
      expect(check.error_message).toMatch(/^\$\{format\("%s is zone %s in this account, where EKS creates no cluster .*Set network\.azs to zones of other ids/);
      expect(subnets[`network_public_us-east-1${az}`]).not.toHaveProperty("lifecycle");
    }
    expect(resourcesOf(json, "aws_subnet")["network_private_us-east-1a"]).not.toHaveProperty("lifecycle");
  });

  it("routes the public tier to the internet gateway", () => {
    expect(resourcesOf(json, "aws_route").network_public_internet).toMatchObject({
      destination_cidr_block: "0.0.0.0/0",
      gateway_id: "${aws_internet_gateway.network_igw.id}",
      route_table_id: "${aws_route_table.network_public_rt.id}",
    });
  });

  it("puts a NAT gateway with an elastic IP in each AZ's public subnet, used by that AZ's private route table", () => {
    const nats = resourcesOf(json, "aws_nat_gateway");
    expect(Object.keys(nats)).toHaveLength(3);
    for (const az of ["us-east-1a", "us-east-1b", "us-east-1c"]) {
      expect(nats[`network_nat_${az}`]).toMatchObject({
        allocation_id: `\${aws_eip.network_nat_eip_${az}.id}`,
        subnet_id: `\${aws_subnet.network_public_${az}.id}`,
      });
      expect(resourcesOf(json, "aws_route")[`network_private_nat_${az}`]).toMatchObject({
        route_table_id: `\${aws_route_table.network_private_rt_${az}.id}`,
        nat_gateway_id: `\${aws_nat_gateway.network_nat_${az}.id}`,
      });
    }
    expect(resourcesOf(json, "aws_eip")["network_nat_eip_us-east-1a"]).toMatchObject({ domain: "vpc" });
  });

  it("shares one NAT gateway in the first AZ when asked to save cost", () => {
    const single = synthNetwork({ natGateways: "single" });
    expect(Object.keys(resourcesOf(single, "aws_nat_gateway"))).toEqual(["network_nat_us-east-1a"]);
    for (const route of ["b", "c"].map((l) => resourcesOf(single, "aws_route")[`network_private_nat_us-east-1${l}`])) {
      expect(route.nat_gateway_id).toBe("${aws_nat_gateway.network_nat_us-east-1a.id}");
    }
  });

  it("gives isolated subnets route tables with no route at all", () => {
    const routes = Object.values(resourcesOf(json, "aws_route"));
    const isolatedTables = Object.keys(resourcesOf(json, "aws_route_table")).filter((k) => k.includes("isolated"));
    expect(isolatedTables).toHaveLength(3);
    for (const table of isolatedTables) {
      expect(routes.filter((r) => r.route_table_id === `\${aws_route_table.${table}.id}`)).toEqual([]);
    }
    expect(resourcesOf(json, "aws_route_table_association")["network_isolated_rta_us-east-1a"]).toMatchObject({
      subnet_id: "${aws_subnet.network_isolated_us-east-1a.id}",
      route_table_id: "${aws_route_table.network_isolated_rt_us-east-1a.id}",
    });
  });

  it("omits the isolated tier when it is null", () => {
    const subnets = Object.keys(resourcesOf(synthNetwork({ isolatedSubnets: null }), "aws_subnet"));
    expect(subnets.filter((s) => s.includes("isolated"))).toEqual([]);
    expect(subnets).toHaveLength(6);
  });

  it("strips every rule from the default security group and every route from the default route table", () => {
    const sg = resourcesOf(json, "aws_default_security_group").network_default_sg;
    expect(sg.vpc_id).toBe("${aws_vpc.network_vpc.id}");
    expect(sg).not.toHaveProperty("ingress");
    expect(sg).not.toHaveProperty("egress");
    expect(resourcesOf(json, "aws_default_route_table").network_default_rt.route).toEqual([]);
  });

  describe("flow logs", () => {
    it("deliver all traffic to a log group with a finite retention", () => {
      expect(resourcesOf(json, "aws_flow_log").network_flow_logs_flow_log).toMatchObject({
        vpc_id: "${aws_vpc.network_vpc.id}",
        traffic_type: "ALL",
        log_destination_type: "cloud-watch-logs",
        log_destination: "${aws_cloudwatch_log_group.network_flow_logs_log_group.arn}",
        iam_role_arn: "${aws_iam_role.network_flow_logs_role.arn}",
      });
      expect(resourcesOf(json, "aws_cloudwatch_log_group").network_flow_logs_log_group).toMatchObject({
        name: "/aws/vpc-flow-logs/acme-prod",
        retention_in_days: 90,
      });
    });

    it("use a role only VPC Flow Logs can assume, allowed to write only to that log group", () => {
      const role = resourcesOf(json, "aws_iam_role").network_flow_logs_role;
      expect(role.name).toBe("acme-prod-vpc-flow-logs");
      expect(role.assume_role_policy).toContain('"Service" = "vpc-flow-logs.amazonaws.com"');
      expect(role.assume_role_policy).toContain('"aws:SourceArn" = "arn:aws:ec2:us-east-1:*:vpc-flow-log/*"');
      const policy = String(resourcesOf(json, "aws_iam_role_policy").network_flow_logs_policy.policy);
      expect(policy).toContain(
        '"Resource" = [aws_cloudwatch_log_group.network_flow_logs_log_group.arn, "${aws_cloudwatch_log_group.network_flow_logs_log_group.arn}:*"]',
      );
      expect(policy).not.toMatch(/"Resource" = "\*"/);
    });

    it("can be turned off", () => {
      expect(resourcesOf(synthNetwork({ flowLogs: { enabled: false } }), "aws_flow_log")).toEqual({});
    });
  });

  it("fails with the construct's own validation when used without the config loader", () => {
    expect(() => synthNetwork({ azs: ["us-east-1a"] })).toThrow(/lists 1 availability zone/);
    expect(() => synthNetwork({ cidr: "10.0.0.0/12" })).toThrow(/AWS accepts VPC and subnet blocks from \/16 to \/28/);
  });

  it("fails when a derived name is longer than AWS allows", () => {
    const stack = new TestStack(Testing.app(), "test");
    const naming = new Naming("x".repeat(60), "prod");
    expect(() => new Network(stack, "network", { naming, region: "us-east-1", settings: NetworkConfigSchema.parse({}) })).toThrow(/iamRole name .* characters long; AWS allows 64/);
  });
});
