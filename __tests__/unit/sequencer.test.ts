import { statSync } from "fs";
import { join } from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const RungsFirstSequencer = require("../harness/sequencer.js");

const ROOT = join(__dirname, "..", "..");

/** A test as jest hands it to a sequencer on a clean clone: no timings cached, sizes from the files. */
function testOf(relative: string) {
  const path = join(ROOT, relative);
  return { path, context: { config: { cache: false, rootDir: ROOT }, hasteFS: { getSize: (p: string) => statSync(p).size } } };
}

const FILES = [
  "__tests__/unit/contracts.test.ts",
  "__tests__/terraform/dev-app.test.ts",
  "__tests__/unit/golden.test.ts",
  "__tests__/terraform/hcl-exit.test.ts",
  "__tests__/terraform/prod-app.test.ts",
  "__tests__/terraform/adopt.test.ts",
];

describe("the order jest starts test files in (__tests__/harness/sequencer.js)", () => {
  const order = (failed: string[] = []) => {
    const sequencer = new RungsFirstSequencer();
    sequencer.hasFailed = (test: { path: string }) => failed.some((f) => test.path.endsWith(f));
    return (sequencer.sort(FILES.map(testOf)) as { path: string }[]).map((t) => t.path.slice(ROOT.length + 1));
  };

  it("starts the whole-app rungs first, then the other terraform tests, then the unit tests", () => {
    const parts = order().map((f) => (f.endsWith("-app.test.ts") ? "apps" : f.split("/")[1]));
    expect(parts).toEqual(["apps", "apps", "terraform", "terraform", "unit", "unit"]);
  });

  it("keeps jest's order within each part: with no timings cached, the larger file first", () => {
    const sizes = order().map((f) => statSync(join(ROOT, f)).size);
    for (const [first, second] of [[0, 1], [2, 3], [4, 5]]) expect(sizes[first]).toBeGreaterThanOrEqual(sizes[second]);
  });

  it("still starts a file that failed in the last run first", () => {
    expect(order(["__tests__/unit/golden.test.ts"])[0]).toBe("__tests__/unit/golden.test.ts");
  });
});
