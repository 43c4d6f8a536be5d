import { spawnSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

/**
 * The scripts given what they cannot use say so and exit non-zero, without a stack trace:
 * `npm run review` a base git does not know, or a configuration synth refuses; `npm run adopt`
 * a state file Terraform would refuse; `npm run atlantis` two commands at once. (The review and the adoption themselves are proven in
 * ../terraform/review.test.ts and ../terraform/adopt.test.ts.)
 */

const ROOT = join(__dirname, "..", "..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");

function script(name: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(TSX, [`scripts/${name}.ts`, ...args], {
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
    const result = script("review", ["--base", "no-such-ref-anywhere"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe("review: --base no-such-ref-anywhere is not a commit of this repository; give a branch, tag or commit it has, e.g. --base main\n");
  });

  it("reports a configuration synth refuses with synth's own message, and which tree it was", () => {
    const dir = mkdtempSync(join(tmpdir(), "review-cli-"));
    try {
      const config = join(dir, "overrides.json");
      writeFileSync(config, JSON.stringify({ muejam: { dev: { network: { azs: ["x"] } } } }));
      const result = script("review", ["--base", "HEAD"], { INFRA_SYSTEMS: "muejam", INFRA_CONFIG: config });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^review: synth of the base HEAD failed \(exit 1\):\nInvalid configuration \(1 problem\); nothing was synthesized\.\n\nmuejam\/dev: network\.azs = \["x"\]\n {2}Problem: /m);
      expect(result.stderr).not.toMatch(STACK_FRAME);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("npm run adopt, on a state file Terraform would refuse", () => {
  it("names the state and the resource that is not one, before synthesizing or planning anything", () => {
    const dir = mkdtempSync(join(tmpdir(), "adopt-cli-"));
    try {
      const state = join(dir, "old.tfstate");
      const bucket = { mode: "managed", type: "aws_s3_bucket", name: "logs", provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [] };
      writeFileSync(state, JSON.stringify({ version: 4, resources: [bucket, { type: "aws_s3_bucket" }] }));
      const result = script("adopt", ["--state", state]);
      expect(result.status).toBe(64);
      expect(result.stderr).toBe(
        `adopt: --state ${state}: resources[1] is not a resource as Terraform writes one (mode "managed" or "data", type, name, provider, instances): pass the output of terraform state pull, unedited\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("npm run atlantis, given two commands", () => {
  it("refuses --check with --matrix, which would print the matrix and check nothing", () => {
    const result = script("atlantis", ["--check", "--matrix"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^npm run atlantis: --check and --matrix are two commands; give one\.\nusage: /);
  });
});
