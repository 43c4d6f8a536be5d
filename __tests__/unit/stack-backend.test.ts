import { SYSTEMS } from "../../src/systems";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, Testing } from "cdktf";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { Construct } from "constructs";
import { Overrides } from "../../src/config/overrides";
import { stackContextOf } from "../../src/app";
import { AwsStack, StackContext } from "../../src/stacks/aws-stack";
import { NetworkStack } from "../../src/stacks/network-stack";
import { buildStacks, StackJson, synthStack } from "../harness/synth";
import { planHarness } from "../harness/synth";

const S3: Overrides = { muejam: { all: { backend: { type: "s3", bucket: "acme-terraform-state", region: "eu-west-1" } } } };

function backendOf(json: StackJson): Record<string, Record<string, unknown>> {
  return (json.terraform as { backend: Record<string, Record<string, unknown>> }).backend;
}

describe("stack backends", () => {
  it("keeps every stack of the default app on a local state file beside the project", () => {
    const stacks = buildStacks({ systems: Object.keys(SYSTEMS), environments: ["dev"] });
    expect(stacks.length).toBeGreaterThan(5);
    for (const stack of stacks) {
      const json = JSON.parse(Testing.synth(stack)) as StackJson;
      expect(backendOf(json)).toEqual({ local: { path: `../../../terraform.${stack.node.id}.tfstate` } });
      expect(json.terraform?.required_version).toBe(">= 1.11.0, < 2.0.0");
    }
  });

  it("requires a Terraform that takes every write-only argument a stack sets (1.11), not only the lockfile's (1.10)", () => {
    const writeOnly = (body: unknown): boolean =>
      typeof body === "object" && body !== null && Object.entries(body).some(([key, value]) => key.endsWith("_wo") || writeOnly(value));
    const withWriteOnly = ["dev", "prod"]
      .flatMap((environment) => buildStacks({ systems: Object.keys(SYSTEMS), environments: [environment] }, {}))
      .map((stack) => JSON.parse(Testing.synth(stack)) as StackJson)
      .filter((json) => writeOnly(json.resource));
    expect(withWriteOnly.length).toBeGreaterThan(0);
    for (const json of withWriteOnly) expect(json.terraform?.required_version).toMatch(/^>= 1\.(1[1-9]|[2-9]\d)\./);
  });

  it("writes an encrypted S3 backend keyed <project>/<environment>/<stack>.tfstate, locked S3-natively by default (no deprecation warning)", () => {
    const json = synthStack({ systems: ["muejam"], environments: ["prod"] }, "muejam-prod-network", S3);
    expect(backendOf(json)).toEqual({
      s3: {
        bucket: "acme-terraform-state",
        key: "muejam/prod/muejam-prod-network.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
    expect(json.terraform?.required_version).toBe(">= 1.11.0, < 2.0.0");
  });

  it("keeps DynamoDB locking for teams already on it, with the table they name", () => {
    const overrides: Overrides = { muejam: { all: { backend: { bucket: "acme-terraform-state", locking: "dynamodb", dynamodbTable: "acme-locks" } } } };
    const json = synthStack({ systems: ["muejam"], environments: ["dev"] }, "muejam-dev-network", overrides);
    expect(backendOf(json).s3).toEqual({
      bucket: "acme-terraform-state",
      key: "muejam/dev/muejam-dev-network.tfstate",
      region: "us-east-1",
      encrypt: true,
      dynamodb_table: "acme-locks",
    });
  });

  it("gives each stack and environment its own key: [<keyPrefix>/]<project>/<environment>/<stack>.tfstate", () => {
    const stacks = buildStacks({ systems: ["muejam", "ode"], environments: ["dev", "prod"] }, {
      ...S3,
      // One bucket, so one region (synth refuses a bucket named in two).
      ode: { all: { backend: { bucket: "acme-terraform-state", region: "eu-west-1", keyPrefix: "platform" } } },
    });
    const keys = stacks.map((stack) => {
      const key = (backendOf(JSON.parse(Testing.synth(stack)) as StackJson).s3 as { key: string }).key;
      const [project, environment] = stack.node.id.split("-");
      expect(key).toBe(`${project === "ode" ? "platform/" : ""}${project}/${environment}/${stack.node.id}.tfstate`);
      return key;
    });
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(
      expect.arrayContaining([
        "muejam/dev/muejam-dev-network.tfstate",
        "muejam/prod/muejam-prod-network.tfstate",
        "platform/ode/dev/ode-dev-network.tfstate",
        "platform/ode/prod/ode-prod-state.tfstate",
      ]),
    );
  });

  it("uses S3-native locking through use_lockfile, with no table, and requires Terraform >= 1.11", () => {
    const overrides: Overrides = { muejam: { all: { backend: { bucket: "acme-terraform-state", locking: "lockfile" } } } };
    const json = synthStack({ systems: ["muejam"], environments: ["dev"] }, "muejam-dev-network", overrides);
    expect(backendOf(json).s3).toEqual({
      bucket: "acme-terraform-state",
      key: "muejam/dev/muejam-dev-network.tfstate",
      region: "us-east-1",
      encrypt: true,
      use_lockfile: true,
    });
    expect(json.terraform?.required_version).toBe(">= 1.11.0, < 2.0.0");
  });

  it("takes both locks during a move from DynamoDB to lockfile", () => {
    const overrides: Overrides = { muejam: { all: { backend: { bucket: "acme-terraform-state", locking: "both", dynamodbTable: "acme-locks" } } } };
    const json = synthStack({ systems: ["muejam"], environments: ["dev"] }, "muejam-dev-network", overrides);
    expect(backendOf(json).s3).toMatchObject({ dynamodb_table: "acme-locks", use_lockfile: true });
    expect(json.terraform?.required_version).toBe(">= 1.11.0, < 2.0.0");
  });

  it("passes the KMS key, profile and role to the backend", () => {
    const overrides: Overrides = {
      muejam: {
        all: {
          backend: {
            bucket: "acme-terraform-state",
            kmsKeyId: "arn:aws:kms:us-east-1:123456789012:alias/terraform-state",
            profile: "state",
            roleArn: "arn:aws:iam::123456789012:role/terraform-state",
          },
        },
      },
    };
    const json = synthStack({ systems: ["muejam"], environments: ["dev"] }, "muejam-dev-network", overrides);
    expect(backendOf(json).s3).toMatchObject({
      kms_key_id: "arn:aws:kms:us-east-1:123456789012:alias/terraform-state",
      profile: "state",
      assume_role: { role_arn: "arn:aws:iam::123456789012:role/terraform-state" },
    });
  });
});

/** A stack that reads the network stack's VPC id: a cdktf cross-stack reference. */
class VpcReaderStack extends AwsStack {
  constructor(scope: Construct, context: StackContext, network: NetworkStack) {
    super(scope, "reader", context);
    new SsmParameter(this, "vpc_id", { name: `/${context.naming.prefix}/vpc-id`, type: "String", value: network.network.vpc.id });
  }
}

describe("cross-stack references within one app", () => {
  function synthPair(overrides: Overrides): { outdir: string; reader: StackJson; network: StackJson; manifest: { stacks: Record<string, { dependencies: string[] }> } } {
    const [planned] = planHarness({ systems: ["muejam"], environments: ["prod"] }, overrides);
    const context = stackContextOf(planned);
    const outdir = mkdtempSync(join(tmpdir(), "cdktf-cross-stack-"));
    const app = new App({ outdir });
    const network = new NetworkStack(app, context);
    new VpcReaderStack(app, context, network);
    app.synth();
    const read = (stack: string) => JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as StackJson;
    return {
      outdir,
      reader: read("muejam-prod-reader"),
      network: read("muejam-prod-network"),
      manifest: JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")),
    };
  }

  it("reads the producer's S3 state: a terraform_remote_state at its bucket and key, and an output in the producer", () => {
    const { outdir, reader, network, manifest } = synthPair(S3);
    try {
      const remote = reader.data?.terraform_remote_state ?? {};
      expect(Object.keys(remote)).toEqual(["cross-stack-reference-input-muejam-prod-network"]);
      const state = remote["cross-stack-reference-input-muejam-prod-network"] as { backend: string; config: Record<string, unknown> };
      expect(state.backend).toBe("s3");
      expect(state.config).toMatchObject({
        bucket: "acme-terraform-state",
        key: "muejam/prod/muejam-prod-network.tfstate",
        region: "eu-west-1",
      });
      expect(state.config.key).toBe((backendOf(network).s3 as { key: string }).key);

      const parameter = reader.resource?.aws_ssm_parameter?.vpc_id as { value: string };
      const match = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-muejam-prod-network\.outputs\.([^}]+)\}$/.exec(parameter.value);
      expect(match).not.toBeNull();
      // cdktf marks the outputs it writes for cross-stack references sensitive.
      expect(network.output?.[match![1]]).toEqual({ value: "${aws_vpc.network_vpc.id}", sensitive: true });

      expect(manifest.stacks["muejam-prod-reader"].dependencies).toEqual(["muejam-prod-network"]);
      expect(manifest.stacks["muejam-prod-network"].dependencies).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("reads the producer's local state file when the backend is local", () => {
    const { outdir, reader } = synthPair({});
    try {
      const state = reader.data?.terraform_remote_state?.["cross-stack-reference-input-muejam-prod-network"] as { backend: string; config: Record<string, unknown> };
      expect(state).toMatchObject({ backend: "local", config: { path: "../../../terraform.muejam-prod-network.tfstate" } });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
