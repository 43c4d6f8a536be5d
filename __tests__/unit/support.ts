import { App, Testing } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { BaseStack } from "../../src/stacks/base-stack";
import { StackJson } from "../harness/synth";

/** A bare stack with readable logical ids and an AWS provider, to synthesize one construct in. */
export class TestStack extends BaseStack {
  constructor(scope: Construct, id = "test") {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "us-east-1" });
  }
}

/** Builds constructs into a fresh TestStack and returns its synthesized JSON. */
export function synthIn(build: (stack: TestStack) => void): StackJson {
  const app = Testing.app();
  const stack = new TestStack(app);
  build(stack);
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

/** Synthesizes a stack of a multi-stack app, cross-stack references resolved. */
export function synthStackOf(app: App, stack: BaseStack): StackJson {
  for (const s of app.node.children) if (s instanceof BaseStack) s.prepareStack();
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

/** The resource `type.name` of a synthesized stack; fails when it is missing. */
export function resource(stack: StackJson, type: string, name: string): Record<string, unknown> {
  const r = stack.resource?.[type]?.[name];
  if (!r) throw new Error(`no ${type}.${name}; have ${Object.keys(stack.resource?.[type] ?? {}).join(", ") || "none"}`);
  return r;
}

/** The names of the resources of one type. */
export function namesOf(stack: StackJson, type: string): string[] {
  return Object.keys(stack.resource?.[type] ?? {}).sort();
}

