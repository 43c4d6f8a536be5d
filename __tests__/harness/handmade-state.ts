import { writeFileSync } from "fs";
import { join } from "path";
import { buildDeployedState, replanSettled } from "../../scripts/replan/replan";
import { TerraformState } from "../../scripts/replan/state";
import { OFFLINE_AWS_PROVIDER, TerraformWorkdir } from "./terraform";

/**
 * Plans a hand-written configuration offline and builds the state its apply would leave
 * (scripts/replan): how the adopt test makes an "existing" state without an account. Its
 * expressions reach the plan as references only; what the builder's guess at them
 * (scripts/replan/module-references.ts) gets wrong, re-plan rounds settle, and the state must
 * then re-plan clean.
 */
export function stateOfConfiguration(directory: string, progress?: (message: string) => void): TerraformState {
  const workdir = new TerraformWorkdir(directory, "handmade", { directory });
  try {
    writeFileSync(join(workdir.dir, "zz_offline_override.tf.json"), JSON.stringify({ terraform: { backend: { local: { path: "terraform.tfstate" } } }, provider: { aws: OFFLINE_AWS_PROVIDER } }));
    workdir.must(["init", "-input=false", "-reconfigure"]);
    workdir.must(["plan", "-input=false", "-lock=false", "-out=tfplan"]);
    const deployed = buildDeployedState(workdir);
    const verdict = replanSettled(workdir, deployed, 8);
    progress?.(`${directory}: state built in ${verdict.rounds} extra round(s)`);
    if (!verdict.noChanges) throw new Error(`the state built from ${directory} does not re-plan clean: ${[...verdict.changes, ...verdict.outputChanges].join(", ")}`);
    return deployed.builder.state();
  } finally {
    workdir.dispose();
  }
}
