/**
 * npm run review -- [--base <git ref>] [--out <file.md>] [--accept <stack>/<address>]...
 *
 * What this change does to deployed infrastructure, offline: synthesizes the working tree
 * (head) and the base ref (default: the merge base with main), builds each base stack's
 * deployed state from its plan, re-plans the head against it, and prints per stack what is
 * added, updated in place, replaced (with the forcing attribute), destroyed and forgotten,
 * outputs that ripple to readers, and stacks added or removed. Stateful resources replaced,
 * destroyed or forgotten come first, and make the exit code 2 unless acknowledged with `--accept` (a rename is
 * acknowledged by a `moved` block: it is then no replacement at all).
 *
 * The selection follows the usual variables (INFRA_SYSTEMS, INFRA_ENVIRONMENTS, INFRA_CONFIG).
 */
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { terraformUnavailable } from "../__tests__/harness/terraform";
import { exitCode, renderMarkdown, reviewOutdirs } from "./replan/review";

interface Args {
  base?: string;
  out?: string;
  accept: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { accept: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === "--base" && value) (args.base = value), i++;
    else if (flag === "--out" && value) (args.out = value), i++;
    else if (flag === "--accept" && value) args.accept.push(...value.split(",")), i++;
    else {
      process.stderr.write(`review: unknown argument ${flag}\nusage: npm run review -- [--base <git ref>] [--out <file.md>] [--accept <stack>/<address>]\n`);
      process.exit(64);
    }
  }
  return args;
}

/** A failure the user fixes (a ref git does not know, a configuration synth refuses): printed as its message, without a stack trace. */
class ReviewFailure extends Error {}

function git(cwd: string, ...args: string[]): string {
  const out = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (out.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${out.stderr}`);
  return out.stdout.trim();
}

/** The base commit: `--base` as given, checked to be a commit, or the merge base of HEAD and main. */
function baseCommit(root: string, base: string | undefined): string {
  if (base !== undefined) {
    const known = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${base}^{commit}`], { cwd: root, encoding: "utf8" });
    if (known.status !== 0) throw new ReviewFailure(`--base ${base} is not a commit of this repository; give a branch, tag or commit it has, e.g. --base main`);
    return base;
  }
  const mergeBase = spawnSync("git", ["merge-base", "HEAD", "main"], { cwd: root, encoding: "utf8" });
  if (mergeBase.status !== 0) throw new ReviewFailure(`found no merge base of HEAD and main (${mergeBase.stderr.trim() || "no common commit"}); give the base with --base <git ref>`);
  return mergeBase.stdout.trim();
}

/** Synthesizes the project at `root` (`what`: the base or the working tree) into `outdir` with the app's own entry point. */
function synth(root: string, outdir: string, what: string): void {
  const out = spawnSync(process.execPath, ["--import", "tsx", "main.ts"], {
    cwd: root,
    env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (out.status !== 0) throw new ReviewFailure(`synth of ${what} failed (exit ${out.status}):\n${out.stderr.trim()}`);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const root = resolve(__dirname, "..");
  const base = baseCommit(root, args.base);
  const unavailable = terraformUnavailable();
  if (unavailable) throw new ReviewFailure(`cannot re-plan offline: ${unavailable}`);
  const work = mkdtempSync(join(tmpdir(), "review-"));
  try {
    const baseTree = join(work, "base");
    const baseOut = join(work, "base.out");
    const headOut = join(work, "head.out");
    process.stderr.write(`review: base ${base} (${git(root, "rev-parse", "--short", base)}), head the working tree\n`);
    // The base's files, with this tree's node_modules (a base with other dependencies: npm ci there instead).
    spawnSync("sh", ["-c", `mkdir -p "${baseTree}" && git archive "${base}" | tar -x -C "${baseTree}"`], { cwd: root, stdio: "inherit" });
    if (!existsSync(join(baseTree, "main.ts"))) throw new Error(`git archive of ${base} produced no main.ts`);
    symlinkSync(join(root, "node_modules"), join(baseTree, "node_modules"), "dir");
    synth(baseTree, baseOut, `the base ${base}`);
    synth(root, headOut, "the working tree");
    const review = reviewOutdirs(baseOut, headOut, { accept: args.accept, progress: (m) => process.stderr.write(`review: ${m}\n`) });
    const markdown = renderMarkdown(review, `Infrastructure review: ${git(root, "rev-parse", "--short", base)}..working tree`);
    process.stdout.write(`${markdown}\n`);
    if (args.out) writeFileSync(args.out, markdown);
    const code = exitCode(review);
    if (code !== 0) process.stderr.write(`review: ${review.blocking.length} stateful resource(s) replaced or destroyed; exit ${code}\n`);
    process.exitCode = code;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (e) {
  if (!(e instanceof ReviewFailure)) throw e;
  process.stderr.write(`review: ${e.message}\n`);
  process.exitCode = 1;
}
