import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { AdoptResult, dataLostAtRetirement, exitCode, renderAdoptMarkdown, retireDir } from "../../scripts/adopt/engine";
import { importId } from "../../scripts/adopt/identity";
import { ExistingResource, existingResources, MatchResult, matchResources, projectResources } from "../../scripts/adopt/match";
import { TerraformState } from "../../scripts/replan/state";
import { Json } from "../../scripts/replan/plan-json";
import { Overrides } from "../../src/config/overrides";
import { resourcesOf, synthStack } from "../harness/synth";

const dev = { systems: ["muejam"], environments: ["dev"] };

describe("adopted: values adopted resources keep", () => {
  it("overrides the synthesized attribute with the existing value", () => {
    const overrides = { muejam: { dev: { adopted: { compute: { "aws_autoscaling_group.app_asg": { name: "muejam-dev-asg" } } } } } } as Overrides;
    const compute = synthStack(dev, "muejam-dev-compute", overrides);
    expect(resourcesOf(compute, "aws_autoscaling_group").app_asg.name).toBe("muejam-dev-asg");
    // References follow the resource, not the old name: the policies name the group by reference.
    expect(resourcesOf(compute, "aws_autoscaling_policy").app_scale_out.autoscaling_group_name).toBe("${aws_autoscaling_group.app_asg.name}");
  });

  it("fails synth on an address the layer's stack doesn't have, naming the key and the fix", () => {
    const overrides = { muejam: { dev: { adopted: { compute: { "aws_lb.nope": { name: "x" } } } } } } as Overrides;
    expect(() => synthStack(dev, "muejam-dev-compute", overrides)).toThrow(/adopted\.compute\.aws_lb\.nope[\s\S]*is not a resource of muejam-dev-compute[\s\S]*Fix: use an address/);
  });

  it("fails synth on a layer the system doesn't have, listing its layers", () => {
    const overrides = { muejam: { dev: { adopted: { data: { "aws_db_instance.rds_instance": { identifier: "x" } } } } } } as Overrides;
    expect(() => synthStack(dev, "muejam-dev-compute", overrides)).toThrow(/adopted\.data[\s\S]*is not a layer of muejam-dev[\s\S]*use one of network, .*compute/);
  });

  it("fails synth on an attribute the resource cannot be configured with: a typo, or one AWS computes", () => {
    const asg = "aws_autoscaling_group.app_asg";
    const typo = { muejam: { dev: { adopted: { compute: { [asg]: { nmae: "x" } } } } } } as Overrides;
    expect(() => synthStack(dev, "muejam-dev-compute", typo)).toThrow(/adopted\.compute\.aws_autoscaling_group\.app_asg\.nmae = "x"\n {2}Problem: is not an argument of aws_autoscaling_group/);
    const computed = { muejam: { dev: { adopted: { compute: { [asg]: { arn: "arn:aws:autoscaling:x" } } } } } } as Overrides;
    expect(() => synthStack(dev, "muejam-dev-compute", computed)).toThrow(/app_asg\.arn = [\s\S]*is not an argument of aws_autoscaling_group/);
    const snake = { muejam: { dev: { adopted: { compute: { [asg]: { health_check_grace_period: 300 } } } } } } as Overrides;
    expect(resourcesOf(synthStack(dev, "muejam-dev-compute", snake), "aws_autoscaling_group").app_asg.health_check_grace_period).toBe(300);
  });

  it("takes only resource addresses", () => {
    const overrides = { muejam: { dev: { adopted: { compute: { "app_asg": { name: "x" } } } } } } as Overrides;
    expect(() => synthStack(dev, "muejam-dev-compute", overrides)).toThrow(/must be a resource address/);
  });
});

/** An existing instance, as a state holds it. */
function existing(address: string, type: string, attributes: Record<string, Json>): ExistingResource {
  return { source: "old.tfstate", address, resourceAddress: address.replace(/\[\d+\]$/, ""), type, instance: { schema_version: 0, attributes, sensitive_attributes: [] } };
}

describe("matching by identity", () => {
  const stacks = {
    "x-network": {
      resource: {
        aws_vpc: { vpc: { cidr_block: "10.0.0.0/16" } },
        aws_subnet: {
          "private_us-east-1a": { vpc_id: "${aws_vpc.vpc.id}", cidr_block: "10.0.11.0/24", availability_zone: "us-east-1a" },
          "private_us-east-1b": { vpc_id: "${aws_vpc.vpc.id}", cidr_block: "10.0.12.0/24", availability_zone: "us-east-1b" },
        },
        aws_nat_gateway: { "nat_us-east-1b": { subnet_id: "${aws_subnet.private_us-east-1b.id}" } },
        aws_flow_log: { flow: {} },
      },
      output: { vpc_id: { value: "${aws_vpc.vpc.id}" } },
    },
    "x-compute": {
      resource: { aws_security_group: { app: { name: "app", vpc_id: "${data.terraform_remote_state.cross-stack-reference-input-x-network.outputs.vpc_id}" } } },
    },
  };
  const vpc = existing("module.net.aws_vpc.main", "aws_vpc", { id: "vpc-1", cidr_block: "10.0.0.0/16" });
  // Listed in the opposite order of the stack's AZs: position says nothing.
  const subnets = [
    existing("module.net.aws_subnet.private[0]", "aws_subnet", { id: "subnet-b", vpc_id: "vpc-1", cidr_block: "10.0.12.0/24", availability_zone: "us-east-1b" }),
    existing("module.net.aws_subnet.private[1]", "aws_subnet", { id: "subnet-a", vpc_id: "vpc-1", cidr_block: "10.0.11.0/24", availability_zone: "us-east-1a" }),
  ];
  const nat = existing("module.net.aws_nat_gateway.main[0]", "aws_nat_gateway", { id: "nat-1", subnet_id: "subnet-b" });
  const group = existing("module.app.aws_security_group.app", "aws_security_group", { id: "sg-1", name: "app", vpc_id: "vpc-1" });
  const pairs = (r: ReturnType<typeof matchResources>) => Object.fromEntries(r.matches.map((m) => [m.existing.address, `${m.project.stack}/${m.project.address}`]));

  it("matches subnets by CIDR and AZ, a NAT gateway by its subnet, a group by name in the matched VPC across stacks", () => {
    const result = matchResources([vpc, ...subnets, nat, group], projectResources(stacks), stacks);
    expect(pairs(result)).toEqual({
      "module.net.aws_vpc.main": "x-network/aws_vpc.vpc",
      "module.net.aws_subnet.private[0]": "x-network/aws_subnet.private_us-east-1b",
      "module.net.aws_subnet.private[1]": "x-network/aws_subnet.private_us-east-1a",
      "module.net.aws_nat_gateway.main[0]": "x-network/aws_nat_gateway.nat_us-east-1b",
      "module.app.aws_security_group.app": "x-compute/aws_security_group.app",
    });
    expect(result.unmatchedProject.map((u) => [u.resource.address, u.reason])).toEqual([["aws_flow_log.flow", "no identity rule for aws_flow_log"]]);
  });

  it("matches across state files: one root per layer, the app's group in the network root's VPC", () => {
    const inApp = { ...group, source: "app/prod.tfstate" };
    const result = matchResources([{ ...vpc, source: "network/prod.tfstate" }, inApp], projectResources(stacks), stacks);
    expect(pairs(result)).toEqual({ "module.net.aws_vpc.main": "x-network/aws_vpc.vpc", "module.app.aws_security_group.app": "x-compute/aws_security_group.app" });
  });

  it("gives a resource in a module called with count or for_each the address a removed block takes (no instance keys)", () => {
    const state: TerraformState = {
      version: 4,
      terraform_version: "1.11.4",
      serial: 1,
      lineage: "x",
      outputs: {},
      resources: [{ module: 'module.alb["blue"]', mode: "managed", type: "aws_lb", name: "main", provider: "aws", instances: [{ index_key: 0, schema_version: 0, attributes: { id: "lb" }, sensitive_attributes: [] }] }],
      check_results: null,
    } as unknown as TerraformState;
    expect(existingResources("old.tfstate", state).map((e) => [e.address, e.resourceAddress])).toEqual([['module.alb["blue"].aws_lb.main[0]', "module.alb.aws_lb.main"]]);
  });

  it("matches nothing through an unmatched reference, and says which identity found no partner", () => {
    const otherVpc = existing("aws_vpc.main", "aws_vpc", { id: "vpc-1", cidr_block: "172.16.0.0/16" });
    const result = matchResources([otherVpc, subnets[0]], projectResources(stacks), stacks);
    expect(result.matches).toEqual([]);
    expect(result.unmatchedExisting.map((u) => u.reason)).toEqual([
      'no aws_vpc of the stacks has cidr_block="172.16.0.0/16"',
      'no aws_subnet of the stacks has vpc_id="existing aws_vpc.main" cidr_block="10.0.12.0/24" availability_zone="us-east-1b"',
    ]);
  });
});

describe("import ids", () => {
  it("takes each type's import id: composites for routes, associations and attachments, names where AWS's id is the name", () => {
    expect(importId("aws_route", { id: "r-rtb-1", route_table_id: "rtb-1", destination_cidr_block: "0.0.0.0/0" })).toBe("rtb-1_0.0.0.0/0");
    expect(importId("aws_route_table_association", { id: "rtbassoc-1", subnet_id: "subnet-1", route_table_id: "rtb-1" })).toBe("subnet-1/rtb-1");
    expect(importId("aws_iam_role_policy_attachment", { role: "r", policy_arn: "arn:aws:iam::aws:policy/P" })).toBe("r/arn:aws:iam::aws:policy/P");
    expect(importId("aws_autoscaling_policy", { autoscaling_group_name: "g", name: "up" })).toBe("g/up");
    expect(importId("aws_iam_role", { id: "AROA-stand-in", name: "role" })).toBe("role");
    expect(importId("aws_lb", { id: "arn:aws:elasticloadbalancing:x", arn: "arn:aws:elasticloadbalancing:x" })).toBe("arn:aws:elasticloadbalancing:x");
    expect(importId("aws_vpc", { id: "vpc-1" })).toBe("vpc-1");
    // The web ACL imports as ID/NAME/SCOPE; a database by its identifier (provider 5.x's id is the DBI resource id).
    expect(importId("aws_wafv2_web_acl", { id: "a1b2c3d4", name: "acl", scope: "REGIONAL" })).toBe("a1b2c3d4/acl/REGIONAL");
    expect(importId("aws_db_instance", { id: "db-ABCDEFGHIJKL", identifier: "orders" })).toBe("orders");
  });
});

describe("retiring old roots", () => {
  it("writes each root's removed blocks to a folder of its own, also where two state files share a name", () => {
    expect(retireDir("states/production.tfstate", ["states/production.tfstate"])).toBe("retire/production");
    const split = ["network/prod.tfstate", "../app/prod.tfstate", "/srv/other.tfstate"];
    expect(split.map((s) => retireDir(s, split))).toEqual(["retire/network/prod", "retire/app/prod", "retire/other"]);
  });

  it("stops where retirement destroys data not adopted (a key, a database) or a setting of an adopted bucket", () => {
    const key = existing("module.data.aws_kms_key.main", "aws_kms_key", { id: "k-1" });
    const block = existing("module.data.aws_s3_bucket_public_access_block.logs", "aws_s3_bucket_public_access_block", { bucket: "logs-1" });
    const other = existing("module.data.aws_s3_bucket_policy.other", "aws_s3_bucket_policy", { bucket: "other-1" });
    const route = existing("module.net.aws_route.extra", "aws_route", { id: "r-1" });
    const bucket = existing("module.data.aws_s3_bucket.logs", "aws_s3_bucket", { bucket: "logs-1" });
    const all = [key, block, other, route, bucket];
    const match: MatchResult = {
      matches: [{ existing: bucket, project: { stack: "s-prod-storage", address: "aws_s3_bucket.logs", type: "aws_s3_bucket", block: {} }, identity: 'bucket="logs-1"' }],
      unmatchedExisting: [],
      unmatchedProject: [],
    };
    const lost = (r: ExistingResource) => dataLostAtRetirement(r.source, r.address, all, match);
    expect(lost(key)).toEqual([expect.stringMatching(/retiring the old root destroys module\.data\.aws_kms_key\.main, a KMS key that is not adopted/)]);
    expect(lost(block)).toEqual([expect.stringMatching(/destroys module\.data\.aws_s3_bucket_public_access_block\.logs, a setting of the adopted bucket logs-1/)]);
    expect([lost(other), lost(route), lost(bucket)]).toEqual([[], [], []]);
  });
});

describe("provider schema cache (scripts/replan), as adoption plans hand-written roots too", () => {
  it("reads the schema again when the cached one lacks a provider the plan needs (a root without remote state cached first), and keeps the union", () => {
    const dir = mkdtempSync(join(tmpdir(), "replan-cache-"));
    process.env.REPLAN_CACHE_DIR = dir;
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { providerSchemas } = require("../../scripts/replan/schema") as typeof import("../../scripts/replan/schema");
        const lock = 'provider "registry.terraform.io/hashicorp/aws" {\n  version = "5.100.0"\n}\n';
        let reads = 0;
        const reader = (providers: string[]) => () => {
          reads++;
          return JSON.stringify({ provider_schemas: Object.fromEntries(providers.map((p) => [p, {}])) });
        };
        providerSchemas(lock, reader(["aws"]), ["aws"]);
        const both = providerSchemas(lock, reader(["aws", "builtin/terraform"]), ["aws", "builtin/terraform"]);
        expect(reads).toBe(2);
        expect(Object.keys(both.provider_schemas).sort()).toEqual(["aws", "builtin/terraform"]);
        providerSchemas(lock, reader([]), ["aws"]);
        providerSchemas(lock, reader([]), ["builtin/terraform"]);
        expect(reads).toBe(2);
      });
    } finally {
      delete process.env.REPLAN_CACHE_DIR;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the adoption report", () => {
  const vpc = existing("aws_vpc.main", "aws_vpc", { id: "vpc-1", cidr_block: "10.0.0.0/16" });
  const rule = existing("aws_vpc_security_group_ingress_rule.http", "aws_vpc_security_group_ingress_rule", { id: "sgr-1" });
  const project = { stack: "x-network", address: "aws_vpc.vpc", type: "aws_vpc", block: {} };
  const result: AdoptResult = {
    match: {
      matches: [{ existing: vpc, project, identity: 'cidr_block="10.0.0.0/16"' }],
      unmatchedExisting: [{ resource: rule, reason: "no aws_vpc_security_group_ingress_rule of the stacks has ..." }],
      unmatchedProject: [{ resource: { stack: "x-network", address: "aws_flow_log.flow", type: "aws_flow_log", block: {} }, reason: "no identity rule for aws_flow_log" }],
    },
    stacks: [{ stack: "x-network", imports: [{ to: "aws_vpc.vpc", id: "vpc-1", from: "old.tfstate: aws_vpc.main" }], updates: [], replaced: [{ address: "aws_vpc.vpc", forcedBy: ["cidr_block"] }], destroyed: [], created: [] }],
    retire: [{ source: "old.tfstate", removed: ["aws_vpc.main"], forgotten: ["aws_vpc.main"], destroyed: ["aws_vpc_security_group_ingress_rule.http"], partial: [] }],
    stopped: ["x-network: aws_vpc.vpc would be replaced (forced by cidr_block)"],
  };

  it("leads with why the adoption stops, and lists unmatched resources on both sides and what retiring destroys", () => {
    const md = renderAdoptMarkdown(result);
    expect(md.indexOf("Adoption stopped")).toBeLessThan(md.indexOf("| stack |"));
    expect(md).toContain("- x-network: aws_vpc.vpc would be replaced (forced by cidr_block)");
    expect(md).toContain("| `x-network` | 1 | 0 | 1 | 0 | 0 |");
    expect(md).toContain("- `old.tfstate: aws_vpc_security_group_ingress_rule.http`: no aws_vpc_security_group_ingress_rule");
    expect(md).toMatch(/<code>x-network<\/code>: 1<\/summary>[\s\S]*- `aws_flow_log.flow`/);
    expect(md).toContain("add `retire/old/adopt_removed.tf.json` (1 `removed` blocks");
    expect(md).toContain("- destroys `aws_vpc_security_group_ingress_rule.http`");
    expect(exitCode(result)).toBe(2);
    expect(exitCode({ ...result, stopped: [] })).toBe(0);
  });
});
