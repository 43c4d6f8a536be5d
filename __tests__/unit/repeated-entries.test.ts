import { Testing } from "cdktf";
import { buildSystems } from "../../src/app";
import { ConfigError, ConfigErrors } from "../../src/lib/errors";
import { SystemConfigInput } from "../../src/config/system-config";
import { planHarness } from "../harness/synth";
import { HARNESS_SYSTEMS } from "../harness/systems";

/**
 * Bad input never ends in a stack trace. The inputs that got past the schema and the checks to
 * a construct were repeats: a secret listed twice gave two constructs one id (cdktf's "There is
 * already a Construct with name" trace), and two names that derive one AWS name gave two
 * resources of one alarm. So for every system's prod preset, each list given with its first
 * entry twice, and each map of settings objects given its first entry again under a second key,
 * must either synthesize or fail with configuration errors; any other exception is a defect.
 */

type Json = unknown;
type Path = readonly (string | number)[];

/** Every list and map of a preset, with its path. */
function collections(value: Json, path: Path = []): { path: Path; value: Json[] | Record<string, Json> }[] {
  if (Array.isArray(value)) return [{ path, value }, ...value.flatMap((v, i) => collections(v, [...path, i]))];
  if (value === null || typeof value !== "object") return [];
  const own = path.length > 0 ? [{ path, value: value as Record<string, Json> }] : [];
  return [...own, ...Object.entries(value).flatMap(([k, v]) => collections(v, [...path, k]))];
}

/**
 * `collection` with its first entry repeated: twice in a list; under the key `<key>2` in a map
 * of settings objects (buckets, services, users...). A map of plain values (variables, tags)
 * builds nothing per entry, so it is left out.
 */
function repeated(collection: Json[] | Record<string, Json>): Json | undefined {
  if (Array.isArray(collection)) return collection.length > 0 ? [...collection, collection[0]] : undefined;
  const [first] = Object.entries(collection);
  return first && first[1] !== null && typeof first[1] === "object" ? { ...collection, [`${first[0]}2`]: first[1] } : undefined;
}

/** A layer setting `path` to `value` (list entries on the path are given as the whole list). */
function layerAt(preset: Json, path: Path, value: Json): SystemConfigInput {
  const [head, ...rest] = path;
  if (head === undefined) return value as SystemConfigInput;
  if (Array.isArray(preset)) return preset.map((v, i) => (i === head ? layerAt(v, rest, value) : v)) as unknown as SystemConfigInput;
  return { [head]: layerAt((preset as Record<string, Json>)[head], rest, value) } as SystemConfigInput;
}

/** What synthesizing `system` in prod with `layer` over its preset does: "ok", "config errors", or the exception's first line. */
function outcome(system: string, layer: SystemConfigInput): string {
  try {
    const app = Testing.app();
    for (const stack of buildSystems(app, planHarness({ systems: [system], environments: ["prod"] }, { [system]: { prod: layer } }))) Testing.synth(stack);
    return "ok";
  } catch (e) {
    if (e instanceof ConfigErrors || e instanceof ConfigError) return "config errors";
    return `${(e as Error).name}: ${(e as Error).message.split("\n")[0]}`;
  }
}

describe.each(Object.keys(HARNESS_SYSTEMS))("%s in prod, each list or map of settings with its first entry repeated", (system) => {
  const preset = HARNESS_SYSTEMS[system].preset("prod");
  const cases = collections(preset).flatMap(({ path, value }) => {
    const changed = repeated(value);
    return changed === undefined ? [] : [{ key: path.join("."), layer: layerAt(preset, path, changed) }];
  });

  it("has lists and maps to repeat an entry of", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it("synthesizes, or fails with configuration errors, never with another exception", () => {
    const crashes = cases.map(({ key, layer }) => ({ key, outcome: outcome(system, layer) })).filter((c) => c.outcome !== "ok" && c.outcome !== "config errors");
    expect(crashes).toEqual([]);
  });
});
