import { tmpdir } from "os";
import { join } from "path";
import { addressesOf, readGolden, synthesizeAll } from "../harness/golden";

const ACCEPT = "If the change is intended, run `npm run golden` and commit tests/golden with it.";
const MOVED =
  "A changed address makes Terraform destroy the old resource and create a new one. If the resource is the same " +
  "one under a new construct id, call `resource.moveFromId(\"<old address>\")` on it, which synthesizes a `moved` " +
  "block, instead of accepting a replacement; see README: Addresses are a contract.";

/**
 * Every stack of every system and environment is pinned: its resource addresses, and then
 * its whole synthesized JSON. A refactor must leave both unchanged. The snapshot was written by
 * another process, on another machine, on another day: matching it byte for byte is also the
 * proof that synth is deterministic.
 */
describe("golden snapshot of every stack (tests/golden)", () => {
  const actual = synthesizeAll();
  const golden = readGolden();

  it("covers every stack of every system in dev, staging and prod", () => {
    const added = Object.keys(actual).filter((s) => !(s in golden));
    const removed = Object.keys(golden).filter((s) => !(s in actual));
    if (added.length || removed.length) {
      throw new Error(`Stacks changed.\n  added: ${added.join(", ") || "none"}\n  removed: ${removed.join(", ") || "none"}\n${ACCEPT}`);
    }
    expect(Object.keys(actual).length).toBeGreaterThan(60);
  });

  it("keeps every resource address", () => {
    const changes = Object.keys(actual)
      .filter((s) => s in golden)
      .flatMap((stack) => {
        const before = addressesOf(golden[stack]);
        const after = addressesOf(actual[stack]);
        const added = after.filter((a) => !before.includes(a));
        const removed = before.filter((a) => !after.includes(a));
        if (!added.length && !removed.length) return [];
        return [`${stack}:\n${removed.map((a) => `  - ${a}`).join("\n")}${removed.length && added.length ? "\n" : ""}${added.map((a) => `  + ${a}`).join("\n")}`];
      });
    if (changes.length) throw new Error(`Resource addresses changed:\n${changes.join("\n")}\n\n${MOVED}\n${ACCEPT}`);
  });

  it("synthesizes byte-for-byte the committed JSON", () => {
    const differing = Object.keys(actual).filter((s) => s in golden && golden[s] !== actual[s]);
    if (differing.length) {
      throw new Error(`Synthesized JSON differs from tests/golden for: ${differing.join(", ")}\nSee it with: npm run golden && git diff tests/golden\n${ACCEPT}`);
    }
  });

  it("holds no path of the machine it was synthesized on", () => {
    const outdirs = join(tmpdir(), "cdktf-out-"); // synthToDisk's output directories
    for (const [stack, json] of Object.entries(actual)) {
      expect({ stack, leaks: json.includes(outdirs) || json.includes(process.cwd()) }).toEqual({ stack, leaks: false });
    }
  });

  it("has no hash-suffixed addresses", () => {
    for (const [stack, json] of Object.entries(actual)) {
      expect({ stack, hashed: addressesOf(json).filter((address) => /_[0-9A-F]{8}$/.test(address)) }).toEqual({ stack, hashed: [] });
    }
  });
});
