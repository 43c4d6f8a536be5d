import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { App, TerraformStack } from "cdktf";
import { buildSystems, planSystems } from "./src/app";
import { ConfigError, ConfigErrors } from "./src/lib/errors";
import { selectionFromEnv } from "./src/config/selection";
import { repairHcl } from "./src/lib/hcl-output";
import { writeProviderLocks } from "./src/lib/provider-locks";
import { TERRAFORM_VERSION } from "./src/stacks/backend";
import { SYSTEMS } from "./src/systems";

/**
 * Synthesizes the selected systems and environments (see README: Configure).
 * Invalid configuration prints what to fix and exits 1, leaving nothing in cdktf.out that
 * could pass for a good synth, but keeping each stack's initialized Terraform working
 * directory (`.terraform`, the lock file, any local state).
 */
function main(): void {
  const app = new App({ stackTraces: false });
  try {
    const selection = selectionFromEnv(process.env, Object.keys(SYSTEMS));
    const stacks = buildSystems(app, planSystems(selection));
    // A synth replaces the last one's files, whatever their format: a cdk.tf.json left next
    // to a new cdk.tf (`cdktf synth --hcl`) would define everything twice.
    removeSynthOutput(app.outdir);
    app.synth();
    if (process.env.SYNTH_HCL_OUTPUT === "true") repairHclOutput(app.outdir, stacks);
    writeProviderLocks(app.outdir, stacks);
  } catch (e) {
    removeSynthOutput(app.outdir);
    if (e instanceof ConfigErrors || e instanceof ConfigError) {
      const count = e instanceof ConfigErrors ? e.errors.length : 1;
      process.stderr.write(`\nInvalid configuration (${count} problem${count === 1 ? "" : "s"}); nothing was synthesized.\n\n${e.message}\n\n`);
      process.exit(1);
    }
    throw e;
  }
}

/** Files a synth writes in a stack's folder; everything else there (Terraform's working files) is the user's. */
const SYNTH_FILES = ["cdk.tf.json", "cdk.tf", "metadata.json"];

function removeSynthOutput(outdir: string): void {
  rmSync(join(outdir, "manifest.json"), { force: true });
  const stacks = join(outdir, "stacks");
  if (!existsSync(stacks)) return;
  for (const stack of readdirSync(stacks)) {
    for (const file of SYNTH_FILES) rmSync(join(stacks, stack, file), { force: true });
  }
}

/** `cdktf synth --hcl` (the CLI sets SYNTH_HCL_OUTPUT): repairs what cdktf's HCL renderer gets wrong. */
function repairHclOutput(outdir: string, stacks: readonly TerraformStack[]): void {
  for (const stack of stacks) {
    const file = join(outdir, "stacks", stack.node.id, "cdk.tf");
    const locals = (stack.toTerraform() as { locals?: Record<string, unknown> }).locals ?? {};
    if (existsSync(file)) writeFileSync(file, repairHcl(readFileSync(file, "utf8"), { required_version: TERRAFORM_VERSION }, locals));
  }
}

main();
