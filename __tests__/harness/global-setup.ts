import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { TERRAFORM_UNAVAILABLE, whyTerraformUnavailable } from "./terraform";

/** The environment variable naming the run's own temporary directory (removed by ./global-teardown.ts). */
export const RUN_TMPDIR = "SCALED_AWS_RUN_TMPDIR";

/**
 * Once per jest run, before its workers start (they inherit this process's environment):
 * - the run's own temporary directory, as TMPDIR, removed when the run ends: the synth
 *   outputs, terraform roots and cdktf's test apps (`Testing.app` leaves an empty
 *   `cdktf.outdir.*` per call, hundreds per run) stay out of the machine's /tmp;
 * - whether terraform can run here, asked once instead of once per test file.
 */
export default function globalSetup(): void {
  const dir = mkdtempSync(join(tmpdir(), "scaled-aws-jest-"));
  process.env[RUN_TMPDIR] = dir;
  process.env.TMPDIR = dir;
  process.env[TERRAFORM_UNAVAILABLE] = whyTerraformUnavailable() ?? "";
}
