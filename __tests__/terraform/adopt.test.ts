import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { adopt, AdoptResult, exitCode } from "../../scripts/adopt/engine";
import { stateOfConfiguration } from "../harness/handmade-state";
import { TerraformState } from "../../scripts/replan/state";
import { withHarnessInputs } from "../harness/inputs";
import { synthToDisk } from "../harness/synth";
import { shouldRunTerraform } from "../harness/terraform";
import { ADOPTION_OVERRIDES } from "./adopt-overrides";

/**
 * `npm run adopt` on MueJam's hand-written Terraform (tests/fixtures/adopt/muejam-handmade:
 * modules/networking, alb and asg, count-indexed as such modules are). Its state is built
 * offline from its plan (scripts/replan), then adopted into MueJam's prod stacks with the
 * overrides docs/adopt.md lists (./adopt-overrides.ts). Several minutes on 2 shared cores:
 * the fixture is planned and settled once, and only the network and compute stacks re-plan.
 */
const run = shouldRunTerraform("adopt");
const TIMEOUT = 1_200_000;
const FIXTURE = join(__dirname, "..", "..", "tests", "fixtures", "adopt", "muejam-handmade");
const SELECTION = { systems: ["muejam"], environments: ["prod"] };

/**
 * Every in-place update the adoption plans, by stack and address, with the attributes that
 * change: the project's stricter or richer defaults. Nothing is replaced or destroyed.
 */
const EXPECTED_UPDATES: Record<string, Record<string, string[]>> = {
  "muejam-prod-network": {
    // Tags: the project names by AZ, adds Tier and the ELB subnet role tags, and its default tags say ManagedBy=cdktf.
    "aws_eip.network_nat_eip_us-east-1a": ["tags"],
    "aws_eip.network_nat_eip_us-east-1b": ["tags"],
    "aws_eip.network_nat_eip_us-east-1c": ["tags"],
    "aws_internet_gateway.network_igw": ["tags_all"],
    "aws_nat_gateway.network_nat_us-east-1a": ["tags"],
    "aws_nat_gateway.network_nat_us-east-1b": ["tags"],
    "aws_nat_gateway.network_nat_us-east-1c": ["tags"],
    "aws_route_table.network_private_rt_us-east-1a": ["tags"],
    "aws_route_table.network_private_rt_us-east-1b": ["tags"],
    "aws_route_table.network_private_rt_us-east-1c": ["tags"],
    "aws_route_table.network_public_rt": ["tags"],
    "aws_subnet.network_private_us-east-1a": ["tags"],
    "aws_subnet.network_private_us-east-1b": ["tags"],
    "aws_subnet.network_private_us-east-1c": ["tags"],
    // Public subnets stop giving instances public IPs: only the ALB and NAT gateways live there.
    "aws_subnet.network_public_us-east-1a": ["map_public_ip_on_launch", "tags"],
    "aws_subnet.network_public_us-east-1b": ["map_public_ip_on_launch", "tags"],
    "aws_subnet.network_public_us-east-1c": ["map_public_ip_on_launch", "tags"],
    "aws_vpc.network_vpc": ["tags_all"],
  },
  "muejam-prod-compute": {
    // Capacity rebalancing off, instance warmup, group metrics, rolling instance refresh, the
    // template's latest version (not "$Latest"), and the project's tags propagated to instances.
    "aws_autoscaling_group.app_asg": ["capacity_rebalance", "default_instance_warmup", "enabled_metrics", "instance_refresh", "launch_template", "tag"],
    // The step policies state their warmup and aggregation.
    "aws_autoscaling_policy.app_scale_in": ["estimated_instance_warmup", "metric_aggregation_type"],
    "aws_autoscaling_policy.app_scale_out": ["estimated_instance_warmup", "metric_aggregation_type"],
    // The alarms and the role say what they are for.
    "aws_cloudwatch_metric_alarm.app_scale_in_alarm": ["alarm_description"],
    "aws_cloudwatch_metric_alarm.app_scale_out_alarm": ["alarm_description"],
    "aws_iam_instance_profile.app_instance_instance_profile": ["tags_all"],
    "aws_iam_role.app_instance_role": ["description"],
    // A new template version: IMDSv2 required (metadata_options), an encrypted gp3 root volume
    // (block_device_mappings), no public IP on the instance's interface (network_interfaces, which
    // carries the security group instead of vpc_security_group_ids), the profile by ARN, the
    // SSM-resolved Amazon Linux 2023 AMI, the project's boot script, volume tags.
    "aws_launch_template.app_launch_template": [
      "block_device_mappings",
      "default_version",
      "description",
      "iam_instance_profile",
      "image_id",
      "latest_version",
      "metadata_options",
      "network_interfaces",
      "tag_specifications",
      "tags",
      "update_default_version",
      "user_data",
      "vpc_security_group_ids",
    ],
    // The project's default tags (ManagedBy=cdktf).
    "aws_lb_listener.alb_http": ["tags_all"],
    // TLS 1.3 with 1.2 as the floor, instead of the 2017 TLS 1.2 policy.
    "aws_lb_listener.alb_https": ["ssl_policy"],
    // The project's default tags (ManagedBy=cdktf).
    "aws_lb_target_group.alb_tg_app": ["tags_all"],
    // Access logs to the project's bucket, invalid headers dropped, deletion protection in prod.
    "aws_lb.alb_lb": ["access_logs", "drop_invalid_header_fields", "enable_deletion_protection"],
    // Name tags follow the project's names (the names themselves are kept through `adopted`).
    "aws_security_group.alb_sg_group": ["tags"],
    "aws_security_group.app_sg_group": ["tags"],
    // The rules say why they exist.
    "aws_vpc_security_group_egress_rule.app_sg_egress_all": ["description"],
    "aws_vpc_security_group_ingress_rule.app_sg_ingress_8000_from_alb": ["description"],
  },
};

(run ? describe : describe.skip)("adopt: MueJam's hand-written Terraform into its prod stacks", () => {
  const cleanup: string[] = [];
  afterAll(() => cleanup.forEach((d) => rmSync(d, { recursive: true, force: true })));
  let existing: TerraformState;
  let result: AdoptResult;
  let out: string;

  beforeAll(() => {
    existing = stateOfConfiguration(FIXTURE);
    const { outdir } = synthToDisk(SELECTION, ADOPTION_OVERRIDES);
    out = mkdtempSync(join(tmpdir(), "adopt-out-"));
    cleanup.push(outdir, out);
    result = adopt({ outdir, states: [{ source: "production.tfstate", state: existing }], out });
  }, TIMEOUT);

  const matchOf = (address: string) => result.match.matches.find((m) => m.existing.address === address);
  const target = (address: string) => {
    const m = matchOf(address);
    return m ? `${m.project.stack}/${m.project.address}` : undefined;
  };

  it("matches by identity, not by position: subnets by CIDR and AZ, route tables by their subnets, EIPs by their NAT gateway", () => {
    expect(target("module.networking.aws_vpc.main")).toBe("muejam-prod-network/aws_vpc.network_vpc");
    expect(target("module.networking.aws_subnet.private[1]")).toBe("muejam-prod-network/aws_subnet.network_private_us-east-1b");
    expect(target("module.networking.aws_nat_gateway.main[2]")).toBe("muejam-prod-network/aws_nat_gateway.network_nat_us-east-1c");
    expect(target("module.networking.aws_eip.nat[0]")).toBe("muejam-prod-network/aws_eip.network_nat_eip_us-east-1a");
    expect(target("module.networking.aws_route_table.private[2]")).toBe("muejam-prod-network/aws_route_table.network_private_rt_us-east-1c");
    expect(target("module.networking.aws_route_table.public")).toBe("muejam-prod-network/aws_route_table.network_public_rt");
    expect(target("module.networking.aws_route.private_nat[0]")).toBe("muejam-prod-network/aws_route.network_private_nat_us-east-1a");
    expect(target("module.alb.aws_lb_listener.https")).toBe("muejam-prod-compute/aws_lb_listener.alb_https");
    expect(target("module.asg.aws_vpc_security_group_ingress_rule.from_alb")).toBe("muejam-prod-compute/aws_vpc_security_group_ingress_rule.app_sg_ingress_8000_from_alb");
    expect(result.match.matches).toHaveLength(45);
  });

  it("writes import blocks with the existing ids, per stack", () => {
    const network = JSON.parse(readFileSync(join(out, "stacks", "muejam-prod-network", "adopt.tf.json"), "utf8")) as { import: { to: string; id: string }[] };
    const vpc = existing.resources.find((r) => r.type === "aws_vpc")!.instances[0].attributes;
    expect(network.import).toContainEqual({ to: "aws_vpc.network_vpc", id: vpc.id });
    const route = matchOf("module.networking.aws_route.public_internet")!.existing.instance.attributes;
    expect(network.import).toContainEqual({ to: "aws_route.network_public_internet", id: `${route.route_table_id}_0.0.0.0/0` });
    const compute = JSON.parse(readFileSync(join(out, "stacks", "muejam-prod-compute", "adopt.tf.json"), "utf8")) as { import: { to: string; id: string }[] };
    expect(compute.import).toContainEqual({ to: "aws_autoscaling_group.app_asg", id: "muejam-prod-asg" });
    expect(compute.import).toContainEqual({ to: "aws_iam_role_policy_attachment.app_instance_AmazonSSMManagedInstanceCore", id: "muejam-prod-ec2-role/arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" });
    expect(network.import.length + compute.import.length).toBe(45);
  });

  it("re-plans every stack with zero replacements, zero destroys, and exactly the expected in-place updates", () => {
    expect(result.stopped).toEqual([]);
    expect(exitCode(result)).toBe(0);
    for (const proof of result.stacks) {
      expect(proof.replaced).toEqual([]);
      expect(proof.destroyed).toEqual([]);
    }
    const updates = Object.fromEntries(result.stacks.map((p) => [p.stack, Object.fromEntries(p.updates.map((u) => [u.address, u.attributes]))]));
    expect(updates).toEqual(EXPECTED_UPDATES);
    // IMDSv2 becomes required on the adopted launch template.
    const template = result.stacks.find((p) => p.stack === "muejam-prod-compute")!.updates.find((u) => u.address === "aws_launch_template.app_launch_template")!;
    expect(template.values.metadata_options.after).toEqual([expect.objectContaining({ http_tokens: "required" })]);
  });

  it("lists what matched nothing, on both sides", () => {
    // The ALB open to the world on 80 and 443, and its open egress: the project's ALB takes
    // 443 from CloudFront only and sends to the app port in the VPC only.
    expect(result.match.unmatchedExisting.map((u) => u.resource.address).sort()).toEqual([
      "module.alb.aws_vpc_security_group_egress_rule.all",
      "module.alb.aws_vpc_security_group_ingress_rule.http",
      "module.alb.aws_vpc_security_group_ingress_rule.https",
      // The project grants the agent's metrics and logs by an inline least-privilege policy.
      "module.asg.aws_iam_role_policy_attachment.cloudwatch_agent",
    ]);
    const created = result.match.unmatchedProject.map((u) => `${u.resource.stack}/${u.resource.address}`);
    expect(created).toEqual(expect.arrayContaining(["muejam-prod-compute/aws_vpc_security_group_ingress_rule.alb_sg_ingress_443_from_cloudfront", "muejam-prod-network/aws_flow_log.network_flow_logs_flow_log"]));
    expect(readFileSync(join(out, "adopt-report.md"), "utf8")).toMatch(/module\.alb\.aws_vpc_security_group_ingress_rule\.http`: no aws_vpc_security_group_ingress_rule of the stacks has/);
  });

  it("retiring the old root with its removed blocks forgets every adopted resource and destroys only the unmatched", () => {
    const [retire] = result.retire;
    expect(retire.forgotten).toHaveLength(45);
    expect(retire.destroyed).toEqual(result.match.unmatchedExisting.map((u) => u.resource.address).sort());
    const removed = JSON.parse(readFileSync(join(out, "retire", "production", "adopt_removed.tf.json"), "utf8")) as { removed: { from: string; lifecycle: { destroy: boolean } }[] };
    expect(removed.removed).toContainEqual({ from: "module.networking.aws_subnet.private", lifecycle: { destroy: false } });
    expect(removed.removed.every((r) => r.lifecycle.destroy === false)).toBe(true);
  });

  it(
    "npm run adopt stops with exit 2 when an adopted resource would be replaced (a target group port the stack doesn't keep)",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "adopt-conflict-"));
      cleanup.push(dir);
      // The variant: the hand-made target group listens on another port than the service's.
      const variant = JSON.parse(JSON.stringify(existing)) as TerraformState;
      variant.resources.find((r) => r.module === "module.alb" && r.type === "aws_lb_target_group")!.instances[0].attributes.port = 8080;
      writeFileSync(join(dir, "old.tfstate"), JSON.stringify(variant));
      writeFileSync(join(dir, "infra.json"), JSON.stringify(withHarnessInputs(SELECTION, ADOPTION_OVERRIDES)));
      const cli = spawnSync("npx", ["tsx", "scripts/adopt.ts", "--state", join(dir, "old.tfstate"), "--system", "muejam", "--env", "prod", "--out", join(dir, "out")], {
        cwd: join(__dirname, "..", ".."),
        env: { ...process.env, INFRA_CONFIG: join(dir, "infra.json") },
        encoding: "utf8",
      });
      expect(cli.stderr).toMatch(/stopped: muejam-prod-compute: aws_lb_target_group\.alb_tg_app would be replaced \(forced by port\)/);
      expect(cli.status).toBe(2);
      expect(existsSync(join(dir, "out", "adopt-report.md"))).toBe(true);
      expect(cli.stdout).toMatch(/Adoption stopped/);
    },
    TIMEOUT,
  );
});
