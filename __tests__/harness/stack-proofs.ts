import { readFileSync, rmSync } from "fs";
import { join } from "path";
import { planSystems } from "../../src/app";
import { Selection } from "../../src/config/selection";
import { expectedCreates, layerOf } from "./expected-plans";
import { stackDir, StackJson, synthToDisk } from "./synth";
import { shouldRunTerraform, TerraformWorkdir, tftestDirsOf } from "./terraform";

/**
 * Stands every AWS stack of `selection` on the terraform rungs: validate against the
 * real provider schema, plan offline with the expected creates, and `terraform test`
 * against the mock provider with the stack's own asserts.
 */
export function describeStackProofs(title: string, selection: Selection): void {
  const run = shouldRunTerraform(`terraform rungs for ${title}`);
  const { outdir, stacks } = synthToDisk(selection);
  const systems = planSystems(selection);
  const systemOf = (stack: string) => systems.find((s) => stack.startsWith(`${s.config.project}-${s.config.environment}-`))!;

  (run ? describe : describe.skip)(title, () => {
    afterAll(() => rmSync(outdir, { recursive: true, force: true }));

    it("synthesizes stacks", () => {
      expect(stacks.length).toBeGreaterThan(0);
    });

    describe.each(stacks)("%s", (stack) => {
      let workdir: TerraformWorkdir;
      beforeAll(() => {
        workdir = new TerraformWorkdir(outdir, stack);
      });
      afterAll(() => workdir.dispose());

      it("is valid against the aws provider schema (terraform validate)", () => {
        const result = workdir.validate();
        expect(result.diagnostics.filter((d) => d.startsWith("error"))).toEqual([]);
        expect(result.valid).toBe(true);
      });

      it("plans offline, creating exactly the expected resources", () => {
        const plan = workdir.plan();
        expect(plan.otherActions).toEqual([]);
        expect(plan.creates).toEqual(expectedCreates(stack, systemOf(stack)));
      });

      it("applies against the mock provider with its asserts passing (terraform test)", () => {
        const dirs = tftestDirsOf(stack, layerOf(stack, systemOf(stack)));
        if (!dirs.stack) throw new Error(`stack ${stack} has no tests/terraform/${stack}/*.tftest.hcl; every stack needs mock-apply asserts`);
        const result = workdir.test(dirs.layer ? [dirs.layer, dirs.stack] : [dirs.stack]);
        if (result.failed !== 0) throw new Error(result.output);
        expect(result.passed).toBeGreaterThan(0);
        // The teardown after the runs may only be refused by prevent_destroy, on resources that
        // carry it. Terraform stops reporting after some refusals, so the refused set is a
        // non-empty subset of the protected resources, not always all of them.
        const protectedAddresses = preventDestroyAddresses(outdir, stack);
        if (protectedAddresses.length === 0) expect(result.protectedFromDestroy).toEqual([]);
        else expect(result.protectedFromDestroy.length).toBeGreaterThan(0);
        expect(protectedAddresses).toEqual(expect.arrayContaining(result.protectedFromDestroy));
      });
    });
  });
}

/** The addresses of a synthesized stack's resources with `lifecycle.prevent_destroy`, sorted. */
function preventDestroyAddresses(outdir: string, stack: string): string[] {
  const json = JSON.parse(readFileSync(join(stackDir(outdir, stack), "cdk.tf.json"), "utf8")) as StackJson;
  return Object.entries(json.resource ?? {})
    .flatMap(([type, byName]) =>
      Object.entries(byName)
        .filter(([, body]) => (body.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy === true)
        .map(([name]) => `${type}.${name}`),
    )
    .sort();
}
