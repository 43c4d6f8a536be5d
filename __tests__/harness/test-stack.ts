import { Construct } from "constructs";
import { Testing } from "cdktf";
import { BaseStack } from "../../src/stacks/base-stack";
import { StackJson } from "./synth";

class TestStack extends BaseStack {}

/** Builds constructs in a fresh stack with this project's readable ids, and synthesizes it. */
export function synthConstructs(build: (scope: Construct) => void): StackJson {
  const stack = new TestStack(Testing.app(), "test");
  build(stack);
  return JSON.parse(Testing.synth(stack)) as StackJson;
}
