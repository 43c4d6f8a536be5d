import { readFileSync, rmSync } from "fs";
import { join } from "path";
import { SYSTEMS } from "../../../src/systems";
import { EnvironmentName } from "../../../src/config/environments";
import { Overrides } from "../../../src/config/overrides";
import { stackDir, synthToDisk } from "../synth";
import { SystemModel, StackJson } from "./model";

export { evaluateContract } from "./evaluate";
export { formatFinding, type Finding } from "./finding";
export { SystemModel, type StackJson } from "./model";

/** Every stack of a system in an environment, synthesized once (as `cdktf synth` writes them). */
export function synthSystem(system: string, environment: EnvironmentName, overrides?: Overrides): Record<string, StackJson> {
  const { outdir, stacks } = synthToDisk({ systems: [system], environments: [environment] }, overrides);
  try {
    return Object.fromEntries(stacks.map((s) => [s, JSON.parse(readFileSync(join(stackDir(outdir, s), "cdk.tf.json"), "utf8")) as StackJson]));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** A system's stacks as a model, ready for a contract. */
export function modelOf(stacks: Record<string, StackJson>): SystemModel {
  return new SystemModel(stacks);
}

export { SYSTEMS };
