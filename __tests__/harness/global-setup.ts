import { mkdtempSync } from "fs";
import { availableParallelism, tmpdir } from "os";
import { join } from "path";
import { TERRAFORM_UNAVAILABLE, whyTerraformUnavailable } from "./terraform";

/** The environment variable naming the run's own temporary directory (removed by ./global-teardown.ts). */
export const RUN_TMPDIR = "SCALED_AWS_RUN_TMPDIR";

/**
 * Once per jest run, before its workers start (they inherit this process's environment):
 * - the run's own temporary directory, as TMPDIR, removed when the run ends: the synth
 *   outputs, terraform roots and cdktf's test apps (`Testing.app` leaves an empty
 *   `cdktf.outdir.*` per call, hundreds per run) stay out of the machine's /tmp;
 * - whether terraform can run here, asked once instead of once per test file;
 * - how many cores each terraform process (and its providers) may use: the workers already
 *   keep the cores busy, each driving terraform, so Go's default of every core per process
 *   only adds scheduling and garbage-collection work. Measured on 2 cores, the dev and prod
 *   roots side by side: 463.6 CPU-s and 239.0 s by default, 409.6 CPU-s and 214.8 s with one
 *   core each. A GOMAXPROCS already set is kept.
 * - how often terraform and its providers collect garbage: most of their CPU is Go's runtime.
 *   The aws provider holds a schema of about 500 MB from its start, so at Go's default
 *   (`GOGC=100`, collect when the heap doubles) each process spends much of its time marking
 *   that schema again. Measured on 2 cores, the dev rungs alone (`dev-app.test.ts`): 337
 *   CPU-s and 276 s by default, 235 CPU-s and 195 s with `GOGC=400`, at a peak of 4.3 GB of the
 *   machine's memory in use (6.6 GB and no faster with 1000). A GOGC already set is kept.
 */
export default function globalSetup(globalConfig: { maxWorkers: number }): void {
  const dir = mkdtempSync(join(tmpdir(), "scaled-aws-jest-"));
  process.env[RUN_TMPDIR] = dir;
  process.env.TMPDIR = dir;
  process.env[TERRAFORM_UNAVAILABLE] = whyTerraformUnavailable() ?? "";
  process.env.GOMAXPROCS ??= String(Math.max(1, Math.floor(availableParallelism() / globalConfig.maxWorkers)));
  process.env.GOGC ??= "400";
}
