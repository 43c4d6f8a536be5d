import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { StackTestResult, testStacks, withModuleSource } from "../harness/stack-tests";
import { preventDestroyAddresses } from "../harness/stack-proofs";
import { mergeApplyRuns } from "../harness/tftest-merge";
import { mergeStacks } from "../harness/stack-group";
import { resourceAddressesOf, StackJson, synthToDisk } from "../harness/synth";
import { shouldRunTerraform, TerraformWorkdir, tftestDirsOf } from "../harness/terraform";

/**
 * One `terraform test` for several stacks (harness/stack-tests.ts) gives each stack what its
 * own process gave: its runs' counts, its failures only, its teardown's prevent_destroy refusals.
 */

describe("withModuleSource", () => {
  it("points every run block at the stack, and refuses a run that already names a module", () => {
    const text = 'mock_provider "aws" {\n  source = "./tests/mocks"\n}\n\nrun "a" {\n  command = apply\n}\n\nrun "b" {\n  command = plan\n}\n';
    expect(withModuleSource(text, "../stack", "t")).toBe(
      'mock_provider "aws" {\n  source = "./tests/mocks"\n}\n\nrun "a" {\n  module {\n    source = "../stack"\n  }\n  command = apply\n}\n\nrun "b" {\n  module {\n    source = "../stack"\n  }\n  command = plan\n}\n',
    );
    expect(() => withModuleSource('run "a" {\n  module {\n    source = "./x"\n  }\n}\n', "../stack", "s: f.tftest.hcl")).toThrow(/s: f\.tftest\.hcl: the block run "a" \{ already has a module block/);
  });
});

const run = shouldRunTerraform("the combined mock-apply rung's own test");

(run ? describe : describe.skip)("testStacks", () => {
  // An edge stack (an aliased aws provider, us_east_1), a state stack (prevent_destroy), and a
  // storage stack given no test directory (the generated apply-only run).
  const EDGE = "muejam-dev-edge";
  const STATE = "ode-dev-state";
  const APPLY_ONLY = "muejam-dev-storage";
  const { outdir } = synthToDisk({ systems: ["muejam", "ode"], environments: ["dev"] });
  const testsDirs = (stack: string) => {
    const system = stack.split("-")[0];
    return tftestDirsOf(stack, stack.slice(`${system}-dev-`.length), system, resourceAddressesOf(outdir, stack));
  };
  // The runs of a stack's test files once merged (harness/tftest-merge.ts, unit-tested on its own).
  const runBlocks = (dirs: readonly string[]) =>
    mergeApplyRuns(dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith(".tftest.hcl")).map((f) => ({ name: f, text: readFileSync(join(dir, f), "utf8") }))))
      .map((f) => f.text.match(/^run\s+"/gm)?.length ?? 0)
      .reduce((a, b) => a + b, 0);

  // A deliberately false assert, on the edge stack only.
  const fixture = join(mkdtempSync(join(tmpdir(), "tftest-fixture-")), "false-assert");
  const [edgeResource] = resourceAddressesOf(outdir, EDGE);
  mkdirSync(fixture);
  writeFileSync(
    join(fixture, "false.tftest.hcl"),
    [
      'mock_provider "aws" {\n  source = "./tests/mocks"\n}\n',
      'mock_provider "aws" {\n  alias  = "us_east_1"\n  source = "./tests/mocks"\n}\n',
      'run "deliberately_false" {\n  command = apply\n',
      `  assert {\n    condition     = ${edgeResource}.id == "not-its-id"\n    error_message = "A deliberately false assert of the harness's own test"\n  }\n}\n`,
    ].join("\n"),
  );

  const inputs = [
    { stack: EDGE, testsDirs: [...testsDirs(EDGE), fixture] },
    { stack: STATE, testsDirs: testsDirs(STATE) },
    { stack: APPLY_ONLY, testsDirs: [] },
  ];
  const workdirs = inputs.map((i) => new TerraformWorkdir(outdir, i.stack));
  const root = mkdtempSync(join(tmpdir(), "tf-tests-"));
  let results: Map<string, StackTestResult>;

  beforeAll(() => {
    for (const w of workdirs) w.writeOfflineOverride();
    results = testStacks(
      root,
      inputs.map((input, i) => ({ ...input, dir: workdirs[i].dir })),
    );
  }, 1_200_000);

  afterAll(() => {
    for (const w of workdirs) w.dispose();
    for (const dir of [root, outdir, join(fixture, "..")]) rmSync(dir, { recursive: true, force: true });
  });

  it("runs every run block of each stack's test files, under the stack's name", () => {
    expect(testsDirs(EDGE).length).toBeGreaterThan(0);
    expect(testsDirs(STATE).length).toBeGreaterThan(0);
    expect([...results.keys()].sort()).toEqual([EDGE, STATE, APPLY_ONLY].sort());
    expect(results.get(STATE)).toMatchObject({ passed: runBlocks(testsDirs(STATE)), failed: 0 });
    expect(results.get(APPLY_ONLY)).toMatchObject({ passed: 1, failed: 0, protectedFromDestroy: [] });
    expect(results.get(APPLY_ONLY)!.output).toMatch(/muejam-dev-storage--apply\.tftest\.hcl/);
  });

  it("fails only the stack whose assert is false, naming its assert", () => {
    const edge = results.get(EDGE)!;
    expect({ passed: edge.passed, failed: edge.failed }).toEqual({ passed: runBlocks([...testsDirs(EDGE), fixture]) - 1, failed: 1 });
    expect(edge.output).toMatch(/A deliberately false assert of the harness's own test/);
    for (const other of [STATE, APPLY_ONLY]) expect(results.get(other)!.output).not.toMatch(/deliberately/);
  });

  it("reports the teardown's prevent_destroy refusals per stack, without failing it", () => {
    const state = results.get(STATE)!;
    expect(preventDestroyAddresses(outdir, STATE).length).toBeGreaterThan(0);
    expect(state.protectedFromDestroy.length).toBeGreaterThan(0);
    expect(preventDestroyAddresses(outdir, STATE)).toEqual(expect.arrayContaining(state.protectedFromDestroy));
    expect(state.output).toMatch(/Instance cannot be destroyed/);
    expect(preventDestroyAddresses(outdir, EDGE)).toEqual([]);
    expect(results.get(EDGE)!.protectedFromDestroy).toEqual([]);
  });
});

(run ? describe : describe.skip)("testStacks with a group (a system's stacks applied together)", () => {
  // Two stacks with prevent_destroy resources, merged into one configuration; a false assert on one.
  const STATE = "ode-dev-state";
  const STORAGE = "ode-dev-storage";
  const { outdir } = synthToDisk({ systems: ["ode"], environments: ["dev"] });
  const testsDirs = (stack: string) => tftestDirsOf(stack, stack.slice("ode-dev-".length), "ode", resourceAddressesOf(outdir, stack));
  const fixture = join(mkdtempSync(join(tmpdir(), "tftest-fixture-")), "false-assert");
  const [storageResource] = resourceAddressesOf(outdir, STORAGE);
  mkdirSync(fixture);
  writeFileSync(
    join(fixture, "false.tftest.hcl"),
    `mock_provider "aws" {\n  source = "./tests/mocks"\n}\n\nrun "deliberately_false" {\n  command = apply\n\n  assert {\n    condition     = ${storageResource}.id == "not-its-id"\n    error_message = "A deliberately false assert of the harness's own test"\n  }\n}\n`,
  );
  // An override and a plan run's assert on the state stack: both must reach the group's run
  // (without the override, the mock's generated id fails the assert).
  const overridden = join(fixture, "..", "override-and-plan");
  const [stateResource] = resourceAddressesOf(outdir, STATE);
  mkdirSync(overridden);
  writeFileSync(
    join(overridden, "override.tftest.hcl"),
    `mock_provider "aws" {\n  source = "./tests/mocks"\n}\n\noverride_resource {\n  target = ${stateResource}\n  values = {\n    id = "the-overridden-id"\n  }\n}\n\nrun "planned" {\n  command = plan\n\n  assert {\n    condition     = ${stateResource}.id == "the-overridden-id"\n    error_message = "The override must reach the group's run"\n  }\n}\n`,
  );
  const inputs = [
    { stack: STATE, testsDirs: [...testsDirs(STATE), overridden] },
    { stack: STORAGE, testsDirs: [...testsDirs(STORAGE), fixture] },
  ];
  const root = mkdtempSync(join(tmpdir(), "tf-tests-"));
  const workdirs = inputs.map((i) => new TerraformWorkdir(outdir, i.stack));
  let results: Map<string, StackTestResult>;
  let group: TerraformWorkdir;

  beforeAll(() => {
    for (const w of workdirs) w.writeOfflineOverride();
    const merged = mergeStacks(new Map(inputs.map((i) => [i.stack, JSON.parse(readFileSync(join(outdir, "stacks", i.stack, "cdk.tf.json"), "utf8")) as StackJson])));
    if ("conflict" in merged) throw new Error(merged.conflict);
    group = new TerraformWorkdir(outdir, "ode-dev", { configuration: merged.json });
    group.writeOfflineOverride();
    results = testStacks(
      root,
      inputs.map((input, i) => ({ ...input, dir: workdirs[i].dir })),
      [{ name: "ode-dev", dir: group.dir, stacks: [STATE, STORAGE], ownerOf: merged.ownerOf }],
    );
  }, 1_200_000);

  afterAll(() => {
    for (const w of [...workdirs, group]) w?.dispose();
    for (const dir of [root, outdir, join(fixture, "..")]) rmSync(dir, { recursive: true, force: true });
  });

  it("applies the stacks in one run holding every assert of theirs (a plan run's too), each tagged with its stack, and their overrides", () => {
    const text = readFileSync(join(root, "tests", "ode-dev--group.tftest.hcl"), "utf8");
    const assertsOf = (dirs: readonly string[]) => dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith(".tftest.hcl")).map((f) => readFileSync(join(dir, f), "utf8").match(/^ {2}assert \{/gm)?.length ?? 0)).reduce((a, b) => a + b, 0);
    expect(text.match(/^run "/gm)).toHaveLength(1);
    expect(text.match(/^ {2}assert \{/gm)).toHaveLength(assertsOf([...testsDirs(STATE), overridden]) + assertsOf([...testsDirs(STORAGE), fixture]));
    expect(text.match(/error_message = "\[ode-dev-state\] /g)).toHaveLength(assertsOf([...testsDirs(STATE), overridden]));
    expect(text).toContain(`override_resource {\n  target = ${stateResource}\n`);
    expect(readdirSync(join(root, "tests")).filter((f) => f.endsWith(".tftest.hcl"))).toEqual(["ode-dev--group.tftest.hcl"]);
  });

  it("fails only the stack whose assert is false, naming its assert", () => {
    expect(results.get(STATE)).toMatchObject({ passed: 1, failed: 0 });
    expect(results.get(STORAGE)).toMatchObject({ passed: 0, failed: 1 });
    expect(results.get(STORAGE)!.output).toMatch(/\[ode-dev-storage\] A deliberately false assert/);
    expect(results.get(STATE)!.output).not.toMatch(/deliberately/);
  });

  it("gives each stack the teardown's prevent_destroy refusals of its own resources", () => {
    for (const stack of [STATE, STORAGE]) {
      const refused = results.get(stack)!.protectedFromDestroy;
      expect(refused.length).toBeGreaterThan(0);
      expect(preventDestroyAddresses(outdir, stack)).toEqual(expect.arrayContaining(refused));
    }
  });
});
