import { readdirSync, readFileSync, rmSync } from "fs";
import { join } from "path";
import { SYSTEMS } from "../../src/systems";
import { synthToDisk } from "../harness/synth";

/** Every stack's synthesized JSON, by stack name. */
function stacksOf(outdir: string): Record<string, string> {
  const dir = join(outdir, "stacks");
  return Object.fromEntries(readdirSync(dir).map((stack) => [stack, readFileSync(join(dir, stack, "cdk.tf.json"), "utf8")]));
}

describe("synthesized JSON, reviewed in pull requests", () => {
  const selection = { systems: Object.keys(SYSTEMS), environments: ["dev", "prod"] };
  const first = synthToDisk(selection);
  const second = synthToDisk(selection);
  const a = stacksOf(first.outdir);
  const b = stacksOf(second.outdir);
  afterAll(() => [first, second].forEach((s) => rmSync(s.outdir, { recursive: true, force: true })));

  it("is byte-for-byte the same on every synth", () => {
    expect(Object.keys(a).length).toBeGreaterThan(40);
    expect(b).toEqual(a);
  });

  it("holds no path of the machine it was synthesized on", () => {
    for (const [stack, json] of Object.entries(a)) {
      expect({ stack, leaks: json.includes(first.outdir) || json.includes(process.cwd()) }).toEqual({ stack, leaks: false });
    }
  });

  it("has no hash-suffixed addresses", () => {
    for (const [stack, json] of Object.entries(a)) {
      const parsed = JSON.parse(json) as { resource?: Record<string, Record<string, unknown>> };
      const names = Object.values(parsed.resource ?? {}).flatMap((byName) => Object.keys(byName));
      expect({ stack, hashed: names.filter((n) => /_[0-9A-F]{8}$/.test(n)) }).toEqual({ stack, hashed: [] });
    }
  });
});
