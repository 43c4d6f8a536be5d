import { SYSTEMS } from "../../src/systems";
import { buildStacks } from "../harness/synth";

/**
 * The layers each documented system is built from (docs/systems.md), in dependency order.
 * A layer exists because the system's document calls for it; see src/systems/<system>.ts.
 */
const LAYERS: Record<string, string[]> = {
  joblet: ["network", "storage", "compute", "audit"],
  algoitny: ["network", "storage", "services", "compute", "data"],
  muejam: ["network", "storage", "compute", "edge"],
  duewin: ["network", "storage", "compute", "edge", "data"],
  ode: ["state", "network", "storage", "eks", "data", "workloads"],
};

describe("the documented systems", () => {
  it.each(Object.entries(LAYERS))("%s builds %j, in dependency order", (system, layers) => {
    for (const env of ["dev", "prod"]) {
      const names = buildStacks({ systems: [system], environments: [env] }).map((s) => s.node.id);
      expect(names).toEqual(layers.map((l) => `${system}-${env}-${l}`));
    }
  });

  it("are all listed here", () => {
    expect(Object.keys(LAYERS).sort()).toEqual(Object.keys(SYSTEMS).sort());
  });
});
