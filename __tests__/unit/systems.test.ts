import { readFileSync } from "fs";
import { join } from "path";
import { SYSTEMS } from "../../src/systems";
import { buildStacks } from "../harness/synth";

/**
 * The layers each documented system is built from, in dependency order, as the table of
 * docs/systems.md states them (its "stacks" column): the one place they are written down. A
 * system of your own needs no row; a row needs its system.
 */
function documentedLayers(): Record<string, string[]> {
  const doc = readFileSync(join(__dirname, "..", "..", "docs", "systems.md"), "utf8");
  const rows = [...doc.matchAll(/^\| \[([^\]]+)\]\(#[a-z0-9-]+\) \|[^|\n]*\|[^|\n]*\| ([a-z, ]+) \|$/gm)];
  return Object.fromEntries(rows.map(([, name, stacks]) => [name.toLowerCase(), stacks.split(",").map((s) => s.trim())]));
}

describe("the documented systems", () => {
  const layers = documentedLayers();

  it("are systems, and docs/systems.md lists the five built-in ones", () => {
    expect(Object.keys(layers).sort()).toEqual(["algoitny", "duewin", "joblet", "muejam", "ode"]);
    for (const system of Object.keys(layers)) expect(Object.keys(SYSTEMS)).toContain(system);
  });

  it.each(Object.entries(layers))("%s builds the stacks docs/systems.md lists (%j), in dependency order", (system, expected) => {
    for (const env of ["dev", "prod"]) {
      const names = buildStacks({ systems: [system], environments: [env] }).map((s) => s.node.id);
      expect(names).toEqual(expected.map((l) => `${system}-${env}-${l}`));
    }
  });
});
