import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { BaseStack } from "../../src/stacks/base-stack";
import { Overrides } from "../../src/config/overrides";
import { Selection } from "../../src/config/selection";
import { buildStacks, StackJson } from "./synth";

/** A bare stack with the project's readable logical ids, for unit tests of constructs. */
export class UnitStack extends BaseStack {
  constructor(id = "unit") {
    super(Testing.app(), id);
    new AwsProvider(this, "aws", { region: "us-east-1" });
  }

  /** The stack synthesized and parsed. */
  public json(): StackJson {
    return JSON.parse(Testing.synth(this)) as StackJson;
  }

  /** The warnings constructs in this stack added with `Annotations`. */
  public warnings(): string[] {
    return this.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data)));
  }
}

/**
 * One stack of a selection, synthesized and parsed after every stack of the app was
 * prepared, so that cross-stack references read as the `terraform_remote_state` outputs
 * `cdktf synth` writes (plain `Testing.synth` leaves them as the other stack's addresses).
 */
export function synthPrepared(selection: Selection, stackName: string, overrides?: Overrides): StackJson {
  const stack = preparedStacks(selection, overrides).find((s) => s.node.id === stackName);
  if (!stack) throw new Error(`selection has no stack ${stackName}`);
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

/** Every stack of a selection, by name, synthesized as {@link synthPrepared} does one. */
export function synthAllPrepared(selection: Selection, overrides?: Overrides): Record<string, StackJson> {
  return Object.fromEntries(preparedStacks(selection, overrides).map((s) => [s.node.id, JSON.parse(Testing.synth(s)) as StackJson]));
}

function preparedStacks(selection: Selection, overrides?: Overrides) {
  const stacks = buildStacks(selection, overrides);
  stacks.forEach((s) => s.prepareStack());
  return stacks;
}
