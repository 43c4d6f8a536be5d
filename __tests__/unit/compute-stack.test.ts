import { TerraformStack } from "cdktf";
import { Overrides } from "../../src/config/overrides";
import { ComputeStack } from "../../src/stacks/compute-stack";
import { buildStacks, resourcesOf } from "../harness/synth";
import { synthAllPrepared, synthPrepared } from "../harness/unit-stack";
import { SYSTEMS } from "../../src/systems";

const select = (system: string, environment = "prod") => ({ systems: [system], environments: [environment] });

/** Paths (a.b[0].c) at which two JSON values differ. */
function differences(a: unknown, b: unknown, path = ""): string[] {
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return a === b ? [] : [path];
  if (Array.isArray(a) !== Array.isArray(b)) return [path];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) =>
    differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k),
  );
}

/** The warnings constructs added to `stacks` with Annotations. */
/** The warnings of the compute tier's stacks (the edge stack warns about its own placeholders). */
function warnings(stacks: TerraformStack[]): string[] {
  return stacks.filter((s) => /-(compute|services)$/.test(s.node.id)).flatMap((s) => s.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data))));
}

describe("compute stacks of the systems", () => {
  it("keeps AlgoItny's ALB in the services state and reads it from the compute state by cross-stack reference", () => {
    const stacks = buildStacks(select("algoitny"));
    stacks.forEach((s) => s.prepareStack());
    const compute = stacks.find((s) => s.node.id === "algoitny-prod-compute")!;
    expect(compute.dependencies.map((d) => d.node.id).sort()).toEqual(["algoitny-prod-network", "algoitny-prod-services", "algoitny-prod-storage"]);
    const json = synthPrepared(select("algoitny"), "algoitny-prod-compute");
    expect(Object.keys(json.data?.terraform_remote_state ?? {}).sort()).toEqual([
      "cross-stack-reference-input-algoitny-prod-network",
      "cross-stack-reference-input-algoitny-prod-services",
      "cross-stack-reference-input-algoitny-prod-storage",
    ]);
    expect(resourcesOf(json, "aws_lb")).toEqual({});
    expect(Object.keys(resourcesOf(synthPrepared(select("algoitny"), "algoitny-prod-services"), "aws_lb"))).toEqual(["alb_lb"]);
  });

  it("reads only the network, storage and services stacks: never a data-tier stack", () => {
    const compute = Object.entries(synthAllPrepared({ systems: Object.keys(SYSTEMS), environments: ["prod"] })).filter(([stack]) => stack.endsWith("-prod-compute"));
    expect(compute.length).toBeGreaterThanOrEqual(4);
    for (const [stack, json] of compute) {
      const system = stack.split("-")[0];
      for (const name of Object.keys(json.data?.terraform_remote_state ?? {})) {
        expect(name).toMatch(new RegExp(`^cross-stack-reference-input-${system}-prod-(network|storage|services)$`));
      }
    }
  });

  it("exposes the app security groups and role names for the data tier", () => {
    const stacks = buildStacks(select("algoitny"));
    const compute = stacks.find((s) => s instanceof ComputeStack) as ComputeStack;
    expect(Object.keys(compute.services)).toEqual(["api", "worker"]);
    const json = synthPrepared(select("algoitny"), "algoitny-prod-compute");
    expect(json.output).toMatchObject({
      api_security_group_id: { value: "${aws_security_group.api_sg_group.id}" },
      api_role_name: { value: "${aws_iam_role.api_instance_role.name}" },
      worker_security_group_id: { value: "${aws_security_group.worker_sg_group.id}" },
      worker_role_name: { value: "${aws_iam_role.worker_instance_role.name}" },
      worker_asg_names: { value: ["${aws_autoscaling_group.worker_asg.name}"] },
    });
  });

  it("exports the load balancer's DNS name, zone, listeners, target group and arn_suffix pair", () => {
    const json = synthPrepared(select("muejam"), "muejam-prod-compute");
    expect(json.output).toMatchObject({
      load_balancer_dns_name: { value: "${aws_lb.alb_lb.dns_name}" },
      load_balancer_zone_id: { value: "${aws_lb.alb_lb.zone_id}" },
      load_balancer_arn_suffix: { value: "${aws_lb.alb_lb.arn_suffix}" },
      https_listener_arn: { value: "${aws_lb_listener.alb_https.arn}" },
      http_listener_arn: { value: "${aws_lb_listener.alb_http.arn}" },
      target_group_arn: { value: "${aws_lb_target_group.alb_tg_app.arn}" },
      target_group_arn_suffix: { value: "${aws_lb_target_group.alb_tg_app.arn_suffix}" },
    });
  });

  it("warns at synth when dev serves plain HTTP, and about nothing in prod, whose certificate is the user's", () => {
    const dev = warnings(buildStacks(select("muejam", "dev")));
    expect(dev).toEqual([expect.stringMatching(/^muejam-dev-alb: TLS is off/)]);
    expect(warnings(buildStacks(select("muejam", "prod")))).toEqual([]);
  });
});

describe("load balancer access logs by environment", () => {
  const lbOf = (system: string, environment: "dev" | "staging" | "prod", stackName: string, overrides?: Overrides) =>
    synthPrepared({ systems: [system], environments: [environment] }, stackName, overrides);

  it("keeps ALB access logs outside dev, in a <project>-<environment>-lb-logs-<region> bucket", () => {
    for (const env of ["staging", "prod"] as const) {
      const json = lbOf("muejam", env, `muejam-${env}-compute`);
      expect(resourcesOf(json, "aws_lb").alb_lb.access_logs).toEqual({ bucket: "${aws_s3_bucket.alb_access_logs_bucket.bucket}", enabled: true });
      expect(resourcesOf(json, "aws_s3_bucket").alb_access_logs_bucket).toMatchObject({ bucket: expect.stringMatching(new RegExp(`^muejam-${env}-lb-logs-us-east-1-\\d{12}$`)) });
    }
  });

  it("keeps none in dev unless asked, and none when set to null", () => {
    expect(resourcesOf(lbOf("muejam", "dev", "muejam-dev-compute"), "aws_lb").alb_lb.access_logs).toBeUndefined();
    expect(resourcesOf(lbOf("muejam", "dev", "muejam-dev-compute", { muejam: { dev: { compute: { loadBalancer: { accessLogs: {} } } } } }), "aws_lb").alb_lb.access_logs).toMatchObject({ enabled: true });
    expect(resourcesOf(lbOf("muejam", "prod", "muejam-prod-compute", { muejam: { prod: { compute: { loadBalancer: { accessLogs: null } } } } }), "aws_lb").alb_lb.access_logs).toBeUndefined();
  });

  it("keeps none for Joblet's TCP-passthrough NLB, which AWS cannot log, and refuses to be asked", () => {
    expect(resourcesOf(lbOf("joblet", "prod", "joblet-prod-compute"), "aws_lb").nlb_lb.access_logs).toBeUndefined();
    expect(() => lbOf("joblet", "prod", "joblet-prod-compute", { joblet: { prod: { compute: { loadBalancer: { accessLogs: {} } } } } })).toThrow(/accessLogs.*only for TLS listeners/s);
  });
});

describe("who may reach the ALB", () => {
  const rulesOf = (system: string, stackName: string, overrides?: Overrides) =>
    Object.values(resourcesOf(synthPrepared({ systems: [system], environments: ["prod"] }, stackName, overrides), "aws_vpc_security_group_ingress_rule")).filter((r) =>
      String(r.security_group_id).includes("alb_sg"),
    );

  it("is CloudFront only, by its origin-facing prefix list for the region, when the CDN uses the ALB as origin (MueJam)", () => {
    expect(rulesOf("muejam", "muejam-prod-compute")).toEqual([expect.objectContaining({ prefix_list_id: "pl-3b927c52", from_port: 443 })]);
    const algoitnyBehindCdn = rulesOf("algoitny", "algoitny-prod-services", { algoitny: { prod: { compute: { loadBalancer: { ingressFrom: "cloudfront" } } } } });
    expect(algoitnyBehindCdn).toEqual([expect.objectContaining({ prefix_list_id: "pl-22a6434b", from_port: 443 })]);
  });

  it("is the configured CIDRs otherwise, or when asked", () => {
    expect(rulesOf("duewin", "duewin-prod-compute").map((r) => [r.cidr_ipv4, r.from_port])).toEqual(expect.arrayContaining([["0.0.0.0/0", 443], ["0.0.0.0/0", 80]]));
    expect(rulesOf("muejam", "muejam-prod-compute", { muejam: { prod: { compute: { loadBalancer: { ingressFrom: "cidrs" } } } } }).map((r) => r.cidr_ipv4)).toEqual(["0.0.0.0/0", "0.0.0.0/0"]);
  });

  it("fails synth, naming the key and the fix, in a region the prefix-list table lacks", () => {
    expect(() => rulesOf("muejam", "muejam-prod-compute", { muejam: { prod: { region: "eu-south-1", network: { azs: ["eu-south-1a", "eu-south-1b"] }, compute: { loadBalancer: { tls: { certificateArn: "arn:aws:acm:eu-south-1:517392846021:certificate/11111111-2222-3333-4444-555555555555" } } } } } })).toThrow(
      /compute\.loadBalancer\.ingressFrom[\s\S]*eu-south-1[\s\S]*describe-managed-prefix-lists/,
    );
  });
});

describe("weighted blue-green", () => {
  const weighted = (blue: number, green: number): Overrides => ({
    muejam: { prod: { compute: { services: { app: { blueGreen: { mode: "weighted", green: { imageTag: "v2" }, weights: { blue, green } } } } } } },
  });

  it("gives each color its own target group, registered by its own group", () => {
    const json = synthPrepared(select("muejam"), "muejam-prod-compute", weighted(100, 0));
    expect(Object.keys(resourcesOf(json, "aws_lb_target_group")).sort()).toEqual(["alb_tg_app_blue", "alb_tg_app_green"]);
    const groups = resourcesOf(json, "aws_autoscaling_group");
    expect(groups.app_blue_asg.target_group_arns).toEqual(["${aws_lb_target_group.alb_tg_app_blue.arn}"]);
    expect(groups.app_green_asg.target_group_arns).toEqual(["${aws_lb_target_group.alb_tg_app_green.arn}"]);
    expect(resourcesOf(json, "aws_lb_target_group").alb_tg_app_green).toMatchObject({ name: "muejam-prod-app-green" });
  });

  it("shifts traffic with a change that touches only the listener's weights", () => {
    const before = synthPrepared(select("muejam"), "muejam-prod-compute", weighted(100, 0));
    const after = synthPrepared(select("muejam"), "muejam-prod-compute", weighted(50, 50));
    expect(differences(before, after)).toEqual([
      "resource.aws_lb_listener.alb_https.default_action[0].forward.target_group[0].weight",
      "resource.aws_lb_listener.alb_https.default_action[0].forward.target_group[1].weight",
    ]);
    expect(resourcesOf(after, "aws_lb_listener").alb_https.default_action).toEqual([
      {
        type: "forward",
        forward: {
          target_group: [
            { arn: "${aws_lb_target_group.alb_tg_app_blue.arn}", weight: 50 },
            { arn: "${aws_lb_target_group.alb_tg_app_green.arn}", weight: 50 },
          ],
        },
      },
    ]);
  });
});
