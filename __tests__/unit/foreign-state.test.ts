import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, Fn, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { ForeignStateConfig } from "../../src/constructs/remote-state/settings";
import { ConfigError, ConfigErrors } from "../../src/lib/errors";
import { Overrides } from "../../src/config/overrides";
import { ForeignState, OutputSpec } from "../../src/constructs/remote-state";
import { BaseStack } from "../../src/stacks/base-stack";
import { StackJson } from "../harness/synth";
import { planHarness } from "../harness/synth";

/** AlgoItny's four foreign states (seed 001, "Verify Remote State References"), in one bucket. */
const ALGOITNY_STATES: Record<string, ForeignStateConfig> = {
  vpc: {
    bucket: "zte-terraform-state",
    key: "terraform/vpc/zte_apnortheast2/terraform.tfstate",
    outputs: { vpcId: "vpc_id", privateSubnetIds: "private_subnets" },
  },
  ecr: {
    bucket: "zte-terraform-state",
    key: "terraform/ecr/zte-prod/prod_apnortheast2/terraform.tfstate",
    outputs: { repositoryUrl: "algoitny_repository_url" },
  },
  databases: {
    bucket: "zte-terraform-state",
    key: "terraform/databases/zte-prod/zte_apnortheast2/algoitny/terraform.tfstate",
    region: "ap-northeast-2",
    roleArn: "arn:aws:iam::517392846021:role/terraform-state-reader",
    outputs: { endpoint: "rds_endpoint", port: "rds_port", multiAz: "multi_az", tags: "tags" },
  },
  services: {
    bucket: "zte-terraform-state",
    key: "terraform/services/algoitnyapi/zte_apnortheast2/terraform.tfstate",
    outputs: { targetGroupArns: "target_group_arns" },
  },
};

class ReaderStack extends BaseStack {
  public readonly states: Record<string, ForeignState<OutputSpec>> = {};
  constructor(scope: Construct, reads: Record<string, OutputSpec>, states = ALGOITNY_STATES) {
    super(scope, "algoitny-prod-compute");
    for (const [name, spec] of Object.entries(reads)) {
      this.states[name] = new ForeignState(this, name, { state: states[name], reads: spec, defaultRegion: "ap-northeast-2", configScope: "algoitny/prod" });
    }
  }
}

function synth(stack: TerraformStack): StackJson {
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

describe("ForeignState", () => {
  it("reads another team's state from its bucket and key, with the region and role given", () => {
    const stack = new ReaderStack(Testing.app(), { vpc: { vpcId: "string" }, databases: { endpoint: "string" } });
    expect(synth(stack).data?.terraform_remote_state).toEqual({
      vpc: {
        backend: "s3",
        config: { bucket: "zte-terraform-state", key: "terraform/vpc/zte_apnortheast2/terraform.tfstate", region: "ap-northeast-2" },
      },
      databases: {
        backend: "s3",
        config: {
          bucket: "zte-terraform-state",
          key: "terraform/databases/zte-prod/zte_apnortheast2/algoitny/terraform.tfstate",
          region: "ap-northeast-2",
          assume_role: { role_arn: "arn:aws:iam::517392846021:role/terraform-state-reader" },
        },
      },
    });
  });

  it("exposes each output by the name the code uses, typed, resolving to the output's name in that state", () => {
    class Typed extends BaseStack {
      constructor(scope: Construct) {
        super(scope, "typed");
        const db = new ForeignState(this, "databases", {
          state: ALGOITNY_STATES.databases,
          reads: { endpoint: "string", port: "number", multiAz: "bool", tags: "map" },
          defaultRegion: "ap-northeast-2",
        });
        const vpc = new ForeignState(this, "vpc", { state: ALGOITNY_STATES.vpc, reads: { privateSubnetIds: "list" }, defaultRegion: "ap-northeast-2" });
        // The types are checked by tsc: a string, a number, a list of strings, a map.
        const endpoint: string = db.outputs.endpoint;
        const port: number = db.outputs.port;
        const subnets: string[] = vpc.outputs.privateSubnetIds;
        const tags: Record<string, string> = db.outputs.tags;
        new TerraformOutput(this, "endpoint", { value: endpoint });
        new TerraformOutput(this, "port", { value: port });
        new TerraformOutput(this, "multi_az", { value: db.outputs.multiAz });
        new TerraformOutput(this, "first_subnet", { value: Fn.element(subnets, 0) });
        new TerraformOutput(this, "tags", { value: tags });
      }
    }
    const json = synth(new Typed(Testing.app()));
    expect(json.output).toEqual({
      endpoint: { value: "${data.terraform_remote_state.databases.outputs.rds_endpoint}" },
      port: { value: "${data.terraform_remote_state.databases.outputs.rds_port}" },
      multi_az: { value: "${data.terraform_remote_state.databases.outputs.multi_az}" },
      first_subnet: { value: "${element(data.terraform_remote_state.vpc.outputs.private_subnets, 0)}" },
      tags: { value: "${data.terraform_remote_state.databases.outputs.tags}" },
    });
  });

  it("records the outputs it reads and their kinds in a // comment of the data source", () => {
    const outdir = mkdtempSync(join(tmpdir(), "foreign-state-"));
    try {
      const app = new App({ outdir });
      new ReaderStack(app, { databases: { port: "number", endpoint: "string" } });
      app.synth();
      const json = JSON.parse(readFileSync(join(outdir, "stacks", "algoitny-prod-compute", "cdk.tf.json"), "utf8")) as StackJson;
      expect(json.data?.terraform_remote_state?.databases?.["//"]).toEqual({ reads: { rds_endpoint: "string", rds_port: "number" } });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("fails synth naming every output the code needs that the configuration does not map", () => {
    const build = () => new ReaderStack(Testing.app(), { services: { targetGroupArns: "list", albDnsName: "string", albZoneId: "string" } });
    expect(build).toThrow(ConfigErrors);
    try {
      build();
    } catch (e) {
      const errors = (e as ConfigErrors).errors;
      expect(errors.map((err) => err.key)).toEqual(["foreignStates.services.outputs.albDnsName", "foreignStates.services.outputs.albZoneId"]);
      expect(errors[0].scope).toBe("algoitny/prod");
      expect(errors[0].message).toMatch(
        'reads the string output "albDnsName" from s3://zte-terraform-state/terraform/services/algoitnyapi/zte_apnortheast2/terraform.tfstate',
      );
      expect(errors[0].message).toMatch('"outputs": { "albDnsName": "alb_dns_name" }');
    }
  });

  it("fails with a single ConfigError when one output is missing", () => {
    expect(() => new ReaderStack(Testing.app(), { ecr: { repositoryArn: "string" } })).toThrow(ConfigError);
    expect(() => new ReaderStack(Testing.app(), { ecr: { repositoryArn: "string" } })).toThrow(/foreignStates\.ecr\.outputs\.repositoryArn = \(not set\)/);
  });

  it("fails synth when the state is not configured at all, showing what to add", () => {
    expect(() => new ReaderStack(Testing.app(), { loadBalancer: { dnsName: "string" } })).toThrow(
      /algoitny\/prod: foreignStates\.loadBalancer = \(not set\)\n  Problem: is required: algoitny-prod-compute\/loadBalancer reads dnsName from another team's state\n  Fix: add it: .*"outputs": \{ "dnsName": "dns_name" \}/,
    );
  });

  it.each([
    [{ bucket: "Bad_Bucket" }, /foreignStates\.vpc\.bucket = "Bad_Bucket"/],
    [{ key: "/terraform/vpc.tfstate" }, /foreignStates\.vpc\.key = .*without a leading '\/'/s],
    [{ region: "ap-northeast-9" }, /foreignStates\.vpc\.region = .*not an AWS region/s],
    [{ outputs: { vpcId: "vpc id" } }, /foreignStates\.vpc\.outputs\.vpcId = "vpc id".*not a Terraform output name/s],
  ])("rejects settings %j, naming the key", (change, message) => {
    const states = { ...ALGOITNY_STATES, vpc: { ...ALGOITNY_STATES.vpc, ...change } };
    expect(() => new ReaderStack(Testing.app(), { vpc: { vpcId: "string" } }, states)).toThrow(message);
  });
});

describe("foreignStates configuration", () => {
  it("is validated with the rest of the configuration, before anything is built", () => {
    const overrides = { algoitny: { prod: { foreignStates: { vpc: { bucket: "zte-terraform-state", key: "", outputs: {} } } } } } as Overrides;
    expect(() => planHarness({ systems: ["algoitny"], environments: ["prod"] }, overrides)).toThrow(/algoitny\/prod: foreignStates\.vpc\.key = ""/);
  });

  it("accepts AlgoItny's four states, region defaulting to the system's", () => {
    const [planned] = planHarness({ systems: ["algoitny"], environments: ["prod"] }, { algoitny: { prod: { foreignStates: ALGOITNY_STATES } } });
    expect(Object.keys(planned.config.foreignStates)).toEqual(["vpc", "ecr", "databases", "services"]);
    expect(planned.config.foreignStates.vpc.region).toBeUndefined();
  });
});
