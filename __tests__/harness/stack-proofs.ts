import { PlannedSystem } from "../../src/app";
import { readFileSync, rmSync } from "fs";
import { join } from "path";
import { Selection } from "../../src/config/selection";
import { planHarness, resourceAddressesOf, stackDir, StackJson, synthToDisk } from "./synth";
import { PlanVerdict } from "../../scripts/replan/replan";
import { StackSet } from "./stack-set";
import { isMirrored, MIRROR, PlanSummary, RequiredProvider, requiredProviders, shouldRunTerraform, tftestDirsOf, UNMIRRORED_PROVIDERS, Validation } from "./terraform";

/**
 * Stands every AWS stack of `selection` on the terraform rungs: valid against the real
 * provider schema (as the plan validates it: {@link StackSet.validation}), plan offline creating exactly its resources, `terraform test`
 * against the mock provider with every assert that applies to it (tftestDirsOf), and a
 * re-plan against the state its plan builds.
 *
 * The stacks stand on the rungs together, as the modules of one terraform root
 * ({@link StackSet}): each rung is one terraform command for all of them, and each stack's
 * test reports its own part. In the mock-apply rung, a system's stacks apply together
 * (./stack-group.ts) where their test files allow.
 *
 * A stack that requires a provider the offline mirror lacks cannot stand on these rungs.
 * If the provider is a known, documented gap ({@link UNMIRRORED_PROVIDERS}), the stack's
 * rungs are skipped with a SKIP line naming it, also under CI (unit tests cover such
 * stacks); any other missing provider fails.
 */
export function describeStackProofs(title: string, selection: Selection): void {
  const run = shouldRunTerraform(`terraform rungs for ${title}`);
  const { outdir, stacks } = synthToDisk(selection);
  const systems = planHarness(selection);
  const systemOf = (stack: string) => systems.find((s) => stack.startsWith(`${s.config.project}-${s.config.environment}-`))!;

  (run ? describe : describe.skip)(title, () => {
    afterAll(() => rmSync(outdir, { recursive: true, force: true }));

    it("synthesizes stacks", () => {
      expect(stacks.length).toBeGreaterThan(0);
    });

    // Where terraform cannot run at all, every rung is skipped (above); there is no gap to report.
    const gaps = Object.fromEntries(stacks.map((stack) => [stack, run ? unmirroredProviders(outdir, stack) : []]));
    const provable = stacks.filter((stack) => gaps[stack].length === 0);
    const unprovable = stacks.filter((stack) => gaps[stack].length > 0);

    if (unprovable.length > 0) describeUnprovable(unprovable, gaps);

    if (provable.length > 0) describeRungs(outdir, provable, systemOf);
  });
}

/** The stacks that need a provider the mirror lacks: skipped with a SKIP line for a documented gap, failed otherwise. */
function describeUnprovable(unprovable: readonly string[], gaps: Readonly<Record<string, RequiredProvider[]>>): void {
  describe.each([...unprovable])("%s", (stack) => {
    const unknown = gaps[stack].filter((p) => !(p.address in UNMIRRORED_PROVIDERS));
    if (unknown.length > 0) {
      it("requires only providers the offline mirror holds, or known documented gaps", () => {
        throw new Error(
          `stack ${stack} requires ${unknown.map(describeProvider).join(", ")}, which the mirror ${MIRROR} lacks; ` +
            "add it to the mirror, or document the gap and list it in UNMIRRORED_PROVIDERS (__tests__/harness/terraform.ts)",
        );
      });
      return;
    }
    const reason = gaps[stack].map((p) => `${describeProvider(p)} is not in the offline mirror (known limitation: ${UNMIRRORED_PROVIDERS[p.address]})`).join("; ");
    // eslint-disable-next-line no-console
    console.warn(`SKIP terraform rungs for ${stack}: ${reason}; the stack is covered by its unit tests`);
    it.skip(`terraform rungs (validate, plan, test): ${reason}`, () => undefined);
  });
}

/** Each stack's rungs, every rung one terraform command for all `stacks` (one StackSet). */
function describeRungs(outdir: string, stacks: readonly string[], systemOf: (stack: string) => PlannedSystem): void {
  let set: StackSet;
  beforeAll(() => {
    set = new StackSet(outdir, stacks);
  });
  afterAll(() => set.dispose());
  const regionOf = (stack: string) => systemOf(stack).config.region;
  const testsDirsOf = (stack: string) => stackTestsDirs(outdir, stack, systemOf(stack));

  describe.each([...stacks])("%s", (stack) => {
    it("is valid against the aws provider schema (the plan's validation)", () => expectValid(set.validation().get(stack)!), RUNG_TIMEOUT);

    it("plans offline, creating exactly the resources of its configuration", () => expectPlanned(set.plan().get(stack)!, resourceAddressesOf(outdir, stack)), RUNG_TIMEOUT);

    it(
      "applies against the mock provider with its asserts passing (terraform test)",
      () => {
        const result = set.test(testsDirsOf, (s) => systemGroup(systemOf(s))).get(stack)!;
        if (result.failed !== 0) throw new Error(result.output);
        expect(result.passed).toBeGreaterThan(0);
        // The teardown after the runs may only be refused by prevent_destroy, on resources that
        // carry it. Terraform stops reporting after some refusals, so the refused set is a
        // non-empty subset of the protected resources, not always all of them.
        const protectedAddresses = preventDestroyAddresses(outdir, stack);
        if (protectedAddresses.length === 0) expect(result.protectedFromDestroy).toEqual([]);
        else expect(result.protectedFromDestroy.length).toBeGreaterThan(0);
        expect(protectedAddresses).toEqual(expect.arrayContaining(result.protectedFromDestroy));
      },
      RUNG_TIMEOUT,
    );

    it("re-plans to no changes against the state its plan builds (idempotency)", () => expectIdempotent(set.idempotency(regionOf).get(stack)!), RUNG_TIMEOUT);
  });
}

/**
 * A rung's timeout: the first stack's test runs the rung for every stack of the set (minutes on
 * 2 loaded cores); the others read its result.
 */
const RUNG_TIMEOUT = 1_800_000;

/** Rung 2: the configuration is valid against the real provider schema (`terraform validate`, or the same walk at the start of a plan). */
export function expectValid(result: Validation): void {
  expect(result.diagnostics.filter((d) => d.startsWith("error"))).toEqual([]);
  expect(result.valid).toBe(true);
}

/**
 * Rung 3: an offline `terraform plan` creates exactly the `expected` addresses (the resources of
 * the synthesized configuration, which the golden snapshot pins), and changes nothing else.
 */
export function expectPlanned(plan: PlanSummary, expected: readonly string[]): void {
  expect(plan.otherActions).toEqual([]);
  expect(plan.addresses).toEqual(expected);
}

/** The `.tftest.hcl` directories of a synthesized stack of `system` (tftestDirsOf). */
export function stackTestsDirs(outdir: string, stack: string, system: PlannedSystem): string[] {
  return tftestDirsOf(stack, layerOf(stack, system), system.config.project, resourceAddressesOf(outdir, stack));
}

/** The mock-apply group of a stack of `system`: the system in its environment. */
export function systemGroup(system: PlannedSystem): string {
  return `${system.config.project}-${system.config.environment}`;
}

/** The layer of a stack: its name without the `<project>-<environment>-` prefix. */
export function layerOf(stackName: string, system: PlannedSystem): string {
  return stackName.slice(`${system.config.project}-${system.config.environment}-`.length);
}

/**
 * Rung 8: the state built from the stack's saved plan (scripts/replan) re-plans, with
 * `-refresh=false`, to no resource change and no output change. Classified from the plan's
 * JSON messages, not its exit code.
 */
export function expectIdempotent(verdict: PlanVerdict): void {
  expect({ changes: verdict.changes, outputChanges: verdict.outputChanges }).toEqual({ changes: [], outputChanges: [] });
  expect(verdict.noChanges).toBe(true);
}

/** The addresses of a synthesized stack's resources with `lifecycle.prevent_destroy`, sorted. */
export function preventDestroyAddresses(outdir: string, stack: string): string[] {
  const json = JSON.parse(readFileSync(join(stackDir(outdir, stack), "cdk.tf.json"), "utf8")) as StackJson;
  return Object.entries(json.resource ?? {})
    .flatMap(([type, byName]) =>
      Object.entries(byName)
        .filter(([, body]) => (body.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy === true)
        .map(([name]) => `${type}.${name}`),
    )
    .sort();
}

/** The providers a synthesized stack requires that the offline mirror does not hold. */
function unmirroredProviders(outdir: string, stack: string): RequiredProvider[] {
  const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as Parameters<typeof requiredProviders>[0];
  return requiredProviders(json).filter((p) => !isMirrored(p));
}

function describeProvider(p: RequiredProvider): string {
  return `provider ${p.address}${p.version ? ` ${p.version}` : ""}`;
}
