import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, Fn } from "cdktf";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Construct } from "constructs";
import { PlannedSystem, stackContextOf } from "../../src/app";
import { Overrides } from "../../src/config/overrides";
import { ForeignState } from "../../src/constructs/remote-state";
import { AwsStack, StackContext } from "../../src/stacks/aws-stack";
import { NetworkStack } from "../../src/stacks/network-stack";
import { shouldRunTerraform, TerraformWorkdir } from "../harness/terraform";
import { planHarness, resourceAddressesOf } from "../harness/synth";

/**
 * The offline rungs with the S3 backend: the harness swaps the backend (with
 * `use_lockfile`) for a local one, and stands in for both kinds of remote state, a
 * cross-stack reference and a ForeignState whose outputs are typed.
 */

const OVERRIDES: Overrides = {
  muejam: {
    all: {
      backend: { bucket: "acme-terraform-state", locking: "both", dynamodbTable: "acme-terraform-locks" },
      foreignStates: {
        databases: {
          bucket: "acme-terraform-state",
          key: "terraform/databases/muejam/terraform.tfstate",
          outputs: { securityGroupId: "db_security_group_id", port: "db_port", multiAz: "multi_az", subnetIds: "db_subnet_ids", tags: "tags" },
        },
      },
    },
  },
};

/** Reads the network by cross-stack reference, and a team's database state with every kind of output. */
class ReaderStack extends AwsStack {
  constructor(scope: Construct, context: StackContext, network: NetworkStack) {
    super(scope, "reader", context);
    new SsmParameter(this, "vpc_id", { name: `/${context.naming.prefix}/vpc-id`, type: "String", value: network.network.vpc.id });
    const db = new ForeignState(this, "databases", {
      state: context.config.foreignStates.databases,
      reads: { securityGroupId: "string", port: "number", multiAz: "bool", subnetIds: "list", tags: "map" },
      defaultRegion: context.config.region,
    });
    // A number argument and a bool condition: plain string stand-ins would fail this plan.
    new VpcSecurityGroupIngressRule(this, "db_from_vpc", {
      securityGroupId: db.outputs.securityGroupId,
      ipProtocol: "tcp",
      fromPort: db.outputs.port,
      toPort: db.outputs.port,
      cidrIpv4: "10.0.0.0/16",
    });
    new SsmParameter(this, "db_topology", {
      name: `/${context.naming.prefix}/db-topology`,
      type: "String",
      value: Fn.conditional(db.outputs.multiAz, "multi-az", "single-az"),
      tags: db.outputs.tags,
    });
    new SsmParameter(this, "db_subnets", { name: `/${context.naming.prefix}/db-subnets`, type: "StringList", value: Fn.join(",", db.outputs.subnetIds) });
  }
}

const run = shouldRunTerraform("offline rungs with the S3 backend");

(run ? describe : describe.skip)("offline rungs with the S3 backend and S3 remote states", () => {
  let outdir: string;
  let system: PlannedSystem;
  const workdirs: TerraformWorkdir[] = [];
  const workdir = (stack: string) => {
    const w = new TerraformWorkdir(outdir, stack);
    workdirs.push(w);
    return w;
  };

  beforeAll(() => {
    [system] = planHarness({ systems: ["muejam"], environments: ["prod"] }, OVERRIDES);
    outdir = mkdtempSync(join(tmpdir(), "cdktf-s3-"));
    const app = new App({ outdir });
    const context = stackContextOf(system);
    const network = new NetworkStack(app, context);
    new ReaderStack(app, context, network);
    app.synth();
  });

  afterAll(() => {
    workdirs.forEach((w) => w.dispose());
    rmSync(outdir, { recursive: true, force: true });
  });

  it("synthesizes S3 backends with both locks and S3 remote states", () => {
    const read = (stack: string) => JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
    expect(read("muejam-prod-network").terraform.backend.s3).toMatchObject({ use_lockfile: true, dynamodb_table: "acme-terraform-locks" });
    const remote = read("muejam-prod-reader").data.terraform_remote_state;
    expect(Object.values(remote).map((r) => (r as { backend: string }).backend)).toEqual(["s3", "s3"]);
  });

  it("plans the producer offline, the harness swapping its S3 backend for a local one", () => {
    const plan = workdir("muejam-prod-network").plan();
    expect(plan.otherActions).toEqual([]);
    expect(plan.addresses).toEqual(resourceAddressesOf(outdir, "muejam-prod-network"));
  });

  it("validates and plans the reader offline, with typed stand-ins for the foreign state's outputs", () => {
    const w = workdir("muejam-prod-reader");
    const validation = w.validate();
    expect(validation.diagnostics.filter((d) => d.startsWith("error"))).toEqual([]);
    const plan = w.plan();
    expect(plan.otherActions).toEqual([]);
    expect(plan.creates).toEqual({ aws_ssm_parameter: 3, aws_vpc_security_group_ingress_rule: 1 });
  });
});
