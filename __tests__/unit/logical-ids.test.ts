import { Construct } from "constructs";
import { Testing } from "cdktf";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { BaseStack } from "../../src/stacks/base-stack";
import { logicalIdFromPath } from "../../src/stacks/logical-ids";

class TestStack extends BaseStack {}

describe("logicalIdFromPath", () => {
  it("joins construct ids with underscores and keeps dashes", () => {
    expect(logicalIdFromPath(["network", "nat_us-east-1a"])).toBe("network_nat_us-east-1a");
  });

  it("replaces characters Terraform does not allow in names", () => {
    expect(logicalIdFromPath(["cross-stack-output-aws_vpc.network_vpc.id"])).toBe("cross-stack-output-aws_vpc_network_vpc_id");
  });

  it("never starts a name with a digit", () => {
    expect(logicalIdFromPath(["1st"])).toBe("_1st");
  });
});

describe("BaseStack logical ids", () => {
  it("derives readable addresses from the construct path, with no hash suffix", () => {
    const stack = new TestStack(Testing.app(), "s");
    new Vpc(new Construct(stack, "network"), "vpc", { cidrBlock: "10.0.0.0/16" });
    const json = JSON.parse(Testing.synth(stack));
    expect(Object.keys(json.resource.aws_vpc)).toEqual(["network_vpc"]);
  });

  it("fails synth when two constructs would get the same address", () => {
    const stack = new TestStack(Testing.app(), "s");
    new Vpc(new Construct(stack, "a"), "b_c", { cidrBlock: "10.0.0.0/16" });
    new Vpc(new Construct(stack, "a_b"), "c", { cidrBlock: "10.1.0.0/16" });
    expect(() => Testing.synth(stack)).toThrow(/Logical id collision in stack s: "a_b_c" is produced by both "s\/a\/b_c" and "s\/a_b\/c"/);
  });

  it("keeps local state outside cdktf.out at a machine-independent path", () => {
    const stack = new TestStack(Testing.app(), "acme-dev-network");
    const json = JSON.parse(Testing.synth(stack));
    expect(json.terraform.backend.local.path).toBe("../../../terraform.acme-dev-network.tfstate");
  });
});
