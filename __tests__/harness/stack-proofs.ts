import { PlannedSystem } from "../../src/app";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { Selection } from "../../src/config/selection";
import { planHarness, resourceAddressesOf, stackDir, StackJson, synthToDisk } from "./synth";
import { idempotency } from "../../scripts/replan/replan";
import { StackTestResult, testStacks } from "./stack-tests";
import { isMirrored, MIRROR, RequiredProvider, requiredProviders, shouldRunTerraform, TerraformWorkdir, tftestDirsOf, UNMIRRORED_PROVIDERS } from "./terraform";

export interface StackProofOptions {
  /**
   * Run `terraform validate` as its own rung. `terraform plan` validates the configuration
   * too, so a second selection of the same stacks may skip it to save a provider start.
   * @default true
   */
  readonly validate?: boolean;
}

/**
 * Stands every AWS stack of `selection` on the terraform rungs: validate against the
 * real provider schema, plan offline creating exactly its resources, `terraform test`
 * against the mock provider with every assert that applies to it (tftestDirsOf), and a
 * re-plan against the state its plan builds.
 *
 * A stack that requires a provider the offline mirror lacks cannot stand on these rungs.
 * If the provider is a known, documented gap ({@link UNMIRRORED_PROVIDERS}), the stack's
 * rungs are skipped with a SKIP line naming it, also under CI (unit tests cover such
 * stacks); any other missing provider fails.
 */
export function describeStackProofs(title: string, selection: Selection, options: StackProofOptions = {}): void {
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

    if (unprovable.length > 0) {
      describe.each(unprovable)("%s", (stack) => {
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

    // Rung 4 of every provable stack in one `terraform test`, on first use (./stack-tests.ts).
    const mockApply = new CombinedMockApply(outdir, provable, (stack) => {
      const system = systemOf(stack);
      return tftestDirsOf(stack, layerOf(stack, system), system.config.project, resourceAddressesOf(outdir, stack));
    });

    if (provable.length > 0) describe.each(provable)("%s", (stack) => {
      let workdir: TerraformWorkdir;
      beforeAll(() => {
        workdir = new TerraformWorkdir(outdir, stack);
      });
      afterAll(() => workdir.dispose());

      if (options.validate ?? true) {
        it("is valid against the aws provider schema (terraform validate)", () => expectValid(workdir));
      }

      it("plans offline, creating exactly the resources of its configuration", () => expectPlanned(workdir, resourceAddressesOf(outdir, stack)));

      it(
        MOCK_APPLY,
        () => {
          const result = mockApply.resultOf(stack);
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
        // The first stack's test runs every stack's: measured 14 s per stack (23 dev stacks in 323 s, 2 loaded cores).
        1_800_000,
      );

      // A state build and one to three re-plans: about 10 s per stack on 2 idle cores, minutes when loaded.
      it(
        "re-plans to no changes against the state its plan builds (idempotency)",
        () => expectIdempotent(workdir, systemOf(stack).config.region),
        600_000,
      );
    });
  });
}

const MOCK_APPLY = "applies against the mock provider with its asserts passing (terraform test)";

/**
 * The mock-apply results of a selection's stacks: on the first stack's request, one
 * `testStacks` for every stack whose mock-apply test this jest run will run (all of them,
 * unless `-t` narrows the run), each in a workdir of its own with the offline override.
 */
class CombinedMockApply {
  private readonly results = new Map<string, StackTestResult>();

  constructor(
    private readonly outdir: string,
    private readonly stacks: readonly string[],
    private readonly testsDirsOf: (stack: string) => string[],
  ) {}

  public resultOf(stack: string): StackTestResult {
    if (!this.results.has(stack)) {
      const wanted = this.stacks.filter((s) => !this.results.has(s) && (s === stack || willRunSibling(stack, s)));
      const root = mkdtempSync(join(tmpdir(), "tf-tests-"));
      const workdirs = wanted.map((s) => new TerraformWorkdir(this.outdir, s));
      try {
        for (const w of workdirs) w.writeOfflineOverride();
        const results = testStacks(
          root,
          workdirs.map((w) => ({ stack: w.stackName, dir: w.dir, testsDirs: this.testsDirsOf(w.stackName) })),
        );
        for (const [s, result] of results) this.results.set(s, result);
      } finally {
        for (const w of workdirs) w.dispose();
        rmSync(root, { recursive: true, force: true });
      }
    }
    return this.results.get(stack)!;
  }
}

/**
 * Whether jest will run `sibling`'s mock-apply test, asked from inside `current`'s: true
 * unless the run's test-name pattern (`-t`) excludes it. Jest has no public API for the
 * pattern; it is read from jest-circus's state, and when that is unreadable, every sibling runs.
 */
function willRunSibling(current: string, sibling: string): boolean {
  const name = expect.getState().currentTestName ?? "";
  const suffix = `${current} ${MOCK_APPLY}`;
  const stateKey = Object.getOwnPropertySymbols(globalThis).find((s) => s.description === "JEST_STATE_SYMBOL");
  const pattern = stateKey ? (globalThis as unknown as Record<symbol, { testNamePattern?: { test(name: string): boolean } | null }>)[stateKey]?.testNamePattern : undefined;
  if (!pattern || !name.endsWith(suffix)) return true;
  return pattern.test(`${name.slice(0, -suffix.length)}${sibling} ${MOCK_APPLY}`);
}

/** Rung 2: `terraform validate` passes against the real provider schema. */
export function expectValid(workdir: TerraformWorkdir): void {
  const result = workdir.validate();
  expect(result.diagnostics.filter((d) => d.startsWith("error"))).toEqual([]);
  expect(result.valid).toBe(true);
}

/**
 * Rung 3: an offline `terraform plan` creates exactly the `expected` addresses (the resources of
 * the synthesized configuration, which the golden snapshot pins), and changes nothing else.
 */
export function expectPlanned(workdir: TerraformWorkdir, expected: readonly string[]): void {
  const plan = workdir.plan();
  expect(plan.otherActions).toEqual([]);
  expect(plan.addresses).toEqual(expected);
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
export function expectIdempotent(workdir: TerraformWorkdir, region: string): void {
  const verdict = idempotency(workdir, { region });
  expect({ changes: verdict.changes, outputChanges: verdict.outputChanges }).toEqual({ changes: [], outputChanges: [] });
  expect(verdict.noChanges).toBe(true);
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

/** The providers a synthesized stack requires that the offline mirror does not hold. */
function unmirroredProviders(outdir: string, stack: string): RequiredProvider[] {
  const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as Parameters<typeof requiredProviders>[0];
  return requiredProviders(json).filter((p) => !isMirrored(p));
}

function describeProvider(p: RequiredProvider): string {
  return `provider ${p.address}${p.version ? ` ${p.version}` : ""}`;
}
