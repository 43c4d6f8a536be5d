import { spawnSync } from "child_process";
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { DEFAULT_ENVIRONMENTS } from "../../src/config/selection";
import { SYSTEMS } from "../../src/systems";
import { bootScriptOf, resourcesOf, StackJson, synthToDisk } from "../harness/synth";
import { StackSet } from "../harness/stack-set";
import { isMirrored, requiredProviders, shouldRunTerraform } from "../harness/terraform";

/**
 * The way out of CDKTF the README offers: `cdktf synth --hcl`, then plain Terraform. Run
 * through the CLI, over an earlier JSON synth in the same folder (as a user who tried JSON
 * first would), it must leave stacks Terraform can load: each AWS stack of the default app
 * plans offline (which validates it), with the same resources as its JSON.
 */

const ROOT = join(__dirname, "..", "..");
const CDKTF = join(ROOT, "node_modules", ".bin", "cdktf");
const SELECTION = { systems: Object.keys(SYSTEMS), environments: DEFAULT_ENVIRONMENTS };

function cliSynth(outdir: string, ...flags: string[]): void {
  const result = spawnSync(CDKTF, ["synth", "--output", outdir, ...flags], {
    cwd: ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1", INFRA_SYSTEMS: "", INFRA_ENVIRONMENTS: "", INFRA_CONFIG: "" },
    encoding: "utf8",
    timeout: 300_000,
  });
  if (result.status !== 0) throw new Error(`cdktf synth ${flags.join(" ")} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
}

/** `type.name` of every resource and data source a JSON stack declares. */
function addressesOf(json: StackJson): string[] {
  const of = (blocks: StackJson["resource"], prefix: string) =>
    Object.entries(blocks ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${prefix}${type}.${name}`));
  return [...of(json.resource, ""), ...of(json.data, "data.")].sort();
}

const run = shouldRunTerraform("HCL exit (cdktf synth --hcl, then terraform)");

(run ? describe : describe.skip)("the HCL exit: cdktf synth --hcl, then plain terraform", () => {
  const root = mkdtempSync(join(tmpdir(), "hcl-exit-"));
  const hclOut = join(root, "cdktf.out");
  // The CLI's JSON, which the HCL must equal: the user's synth, without the harness's inputs.
  const cliJson = join(root, "json");
  // The harness's synth of the same stacks: their offline overrides and remote-state stand-ins.
  const json = synthToDisk(SELECTION);
  afterAll(() => [root, json.outdir].forEach((d) => rmSync(d, { recursive: true, force: true })));
  const cliStackJson = (stack: string) => JSON.parse(readFileSync(join(cliJson, "stacks", stack, "cdk.tf.json"), "utf8")) as StackJson;

  beforeAll(() => {
    // The earlier JSON synth, through the CLI as a user would run it; then HCL over it.
    cliSynth(hclOut);
    cpSync(hclOut, cliJson, { recursive: true });
    cliSynth(hclOut, "--hcl");
  }, 600_000);

  it("leaves HCL only: no JSON of the earlier synth next to it", () => {
    for (const stack of json.stacks) {
      expect({ stack, files: readdirSync(join(hclOut, "stacks", stack)).filter((f) => f.endsWith(".tf") || f.endsWith(".tf.json")) }).toEqual({
        stack,
        files: ["cdk.tf"],
      });
    }
  });

  const stacks = json.stacks.filter((stack) => {
    const stackJson = JSON.parse(readFileSync(join(json.outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as StackJson;
    return requiredProviders(stackJson).every(isMirrored);
  });

  it("covers every AWS stack of the default app", () => {
    expect(stacks.length).toBeGreaterThanOrEqual(20);
    expect(stacks.every((s) => !s.endsWith("-workloads"))).toBe(true);
  });

  // One terraform root holds every stack's HCL (StackSet): one plan for all of them.
  let set: StackSet;
  beforeAll(() => {
    // The HCL keeps its own provider blocks (the JSON's shared ones are the JSON's).
    set = new StackSet(json.outdir, stacks, {
      shareProviders: false,
      prepare: (stack, dir) => {
        rmSync(join(dir, "cdk.tf.json")); // the override, from the JSON, stays: fake keys, local backend, stand-in remote states
        const hclDir = join(hclOut, "stacks", stack);
        for (const file of readdirSync(hclDir)) if (!file.startsWith(".")) copyFileSync(join(hclDir, file), join(dir, file));
      },
    });
  }, 600_000);
  afterAll(() => set?.dispose());

  it.each(stacks)(
    "%s: plans offline (validating it), with the resources of its JSON",
    (stack) => {
      expect(existsSync(join(set.memberDir(stack), "cdk.tf"))).toBe(true);
      // `terraform plan` validates the configuration first, and fails with its diagnostics.
      const planned = new Set(set.plan().get(stack)!.addresses.map((a) => a.replace(/\[.*\]$/, "")));
      const stackJson = cliStackJson(stack);
      const resources = addressesOf(stackJson).filter((a) => !a.startsWith("data."));
      expect({ stack, planned: [...planned].sort() }).toEqual({ stack, planned: resources });
      // The boot scripts, which cdktf's renderer mangles in locals: Terraform reads from the
      // repaired HCL exactly the script the JSON holds.
      const launchTemplates = resourcesOf(stackJson, "aws_launch_template");
      const templates = Object.keys(launchTemplates).filter((t) => /local\./.test(String(launchTemplates[t].user_data)));
      for (const template of templates) {
        const change = set.savedPlan(stack).resource_changes?.find((c) => c.type === "aws_launch_template" && c.name === template)?.change;
        const userData = (change?.after as { user_data?: string } | undefined)?.user_data;
        expect({ stack, template, script: Buffer.from(userData ?? "", "base64").toString("utf8") }).toEqual({ stack, template, script: bootScriptOf(stackJson, template) });
      }
    },
    1_800_000,
  );
});
