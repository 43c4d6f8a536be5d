import { rmSync } from "fs";
import { App } from "cdktf";
import { buildSystems, planSystems } from "./src/app";
import { ConfigError, ConfigErrors } from "./src/config/errors";
import { selectionFromEnv } from "./src/config/selection";
import { SYSTEMS } from "./src/systems";

/**
 * Synthesizes the selected systems and environments (see README: Configure).
 * Invalid configuration prints what to fix and exits 1, leaving no cdktf.out behind
 * that could pass for a good synth.
 */
function main(): void {
  const app = new App();
  try {
    const selection = selectionFromEnv(process.env, Object.keys(SYSTEMS));
    buildSystems(app, planSystems(selection));
    app.synth();
  } catch (e) {
    rmSync(app.outdir, { recursive: true, force: true });
    if (e instanceof ConfigErrors || e instanceof ConfigError) {
      const count = e instanceof ConfigErrors ? e.errors.length : 1;
      process.stderr.write(`\nInvalid configuration (${count} problem${count === 1 ? "" : "s"}); nothing was synthesized.\n\n${e.message}\n\n`);
      process.exit(1);
    }
    throw e;
  }
}

main();
