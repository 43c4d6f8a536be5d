import { readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { StackSet } from "../harness/stack-set";
import { stackDir, StackJson, synthToDisk } from "../harness/synth";
import { shouldRunTerraform } from "../harness/terraform";

/**
 * The validate rung as the plan states it (StackSet.validation): a value the aws provider
 * refuses (its own validation of a resource's arguments), in one stack, makes that stack
 * invalid, naming the argument, and no other; the plan then fails naming the stack.
 */
const run = shouldRunTerraform("the validate rung's own test");

(run ? describe : describe.skip)("StackSet.validation", () => {
  const BROKEN = "muejam-dev-network";
  const STORAGE = "muejam-dev-storage";
  const { outdir } = synthToDisk({ systems: ["muejam"], environments: ["dev"] });
  let set: StackSet;

  beforeAll(() => {
    const file = join(stackDir(outdir, BROKEN), "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8")) as StackJson;
    (json.resource!.aws_vpc.network_vpc as Record<string, unknown>).instance_tenancy = "shared-by-everyone";
    writeFileSync(file, JSON.stringify(json));
    set = new StackSet(outdir, [BROKEN, STORAGE]);
  });
  afterAll(() => {
    set?.dispose();
    rmSync(outdir, { recursive: true, force: true });
  });

  it("fails only the stack with the refused value, naming the argument", () => {
    const validation = set.validation();
    expect(validation.get(STORAGE)).toEqual({ valid: true, diagnostics: [] });
    expect(validation.get(BROKEN)!.valid).toBe(false);
    expect(validation.get(BROKEN)!.diagnostics.join("\n")).toMatch(/^error: .*instance_tenancy.*shared-by-everyone/m);
  }, 600_000);

  it("fails the plan, naming the stack", () => {
    expect(() => set.plan()).toThrow(new RegExp(`terraform plan of the stacks failed[\\s\\S]*${BROKEN}:[\\s\\S]*instance_tenancy`));
  });
});
