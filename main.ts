import { existsSync, readdirSync, rmSync } from "fs";
import { join } from "path";
import { App } from "cdktf";
import { buildSystems, planSystems } from "./src/app";
import { ConfigError, ConfigErrors } from "./src/config/errors";
import { selectionFromEnv } from "./src/config/selection";
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
    buildSystems(app, planSystems(selection));
    app.synth();
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

/** Files a synth writes; everything else in cdktf.out (Terraform's working files) is the user's. */
const SYNTH_FILES = ["cdk.tf.json", "cdk.tf"];

function removeSynthOutput(outdir: string): void {
  rmSync(join(outdir, "manifest.json"), { force: true });
  const stacks = join(outdir, "stacks");
  if (!existsSync(stacks)) return;
  for (const stack of readdirSync(stacks)) {
    for (const file of SYNTH_FILES) rmSync(join(stacks, stack, file), { force: true });
  }
}

main();
