import { spawnSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

/**
 * `npm run review` given what it cannot use says so and exits non-zero, without a stack
 * trace: a base git does not know, or a configuration synth refuses. (The review itself is
 * proven in ../terraform/review.test.ts.)
 */

const ROOT = join(__dirname, "..", "..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");

function review(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(TSX, ["scripts/review.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, INFRA_SYSTEMS: "", INFRA_ENVIRONMENTS: "", INFRA_CONFIG: "", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
}

/** A Node stack frame, as an uncaught error prints it. */
const STACK_FRAME = /^\s+at /m;

describe("npm run review, on input it cannot use", () => {
  it("refuses a base that is not a commit of the repository, naming it and the fix", () => {
    const result = review(["--base", "no-such-ref-anywhere"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("review: --base no-such-ref-anywhere is not a commit of this repository; give a branch, tag or commit it has, e.g. --base main\n");
  });

  it("reports a configuration synth refuses with synth's own message, and which tree it was", () => {
    const dir = mkdtempSync(join(tmpdir(), "review-cli-"));
    try {
      const config = join(dir, "overrides.json");
      writeFileSync(config, JSON.stringify({ muejam: { dev: { network: { azs: ["x"] } } } }));
      const result = review(["--base", "HEAD"], { INFRA_SYSTEMS: "muejam", INFRA_CONFIG: config });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^review: synth of the base HEAD failed \(exit 1\):\nInvalid configuration \(1 problem\); nothing was synthesized\.\n\nmuejam\/dev: network\.azs = \["x"\]\n {2}Problem: /m);
      expect(result.stderr).not.toMatch(STACK_FRAME);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
