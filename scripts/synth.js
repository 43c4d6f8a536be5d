#!/usr/bin/env node
/**
 * `npm run synth`: runs the app (scripts/app.js) directly, as `cdktf synth` would, and prints
 * its warnings from `cdktf.out/manifest.json`.
 *
 * Why not `cdktf synth`: the CDKTF CLI streams the app's stderr and then repeats it in its
 * failure summary, so every configuration error would be printed twice. The app prints its
 * report once and exits 1; this script passes that on untouched. `npx cdktf synth` (and
 * `deploy`, `diff`, `--hcl`) still work and write the same files.
 */
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.join(__dirname, "..");
const outdir = process.env.CDKTF_OUTDIR || path.join(ROOT, "cdktf.out");
const run = spawnSync(process.execPath, [path.join(__dirname, "app.js")], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
});
if (run.status !== 0) process.exit(run.status ?? 1);

const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
const stacks = Object.values(manifest.stacks);
for (const stack of stacks) {
  for (const a of stack.annotations ?? []) {
    process.stderr.write(`[${String(a.level).replace(/^@cdktf\//i, "").toUpperCase()}] ${stack.name}: ${a.message}\n`);
  }
}
process.stdout.write(`Generated Terraform code for the stacks: ${stacks.map((s) => s.name).join(", ")}\n`);
