import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { ENVIRONMENT_NAMES } from "../../src/config/environments";
import { SYSTEMS } from "../../src/systems";
import { stackDir, synthToDisk } from "./synth";

/**
 * The golden snapshot: the synthesized `cdk.tf.json` of every stack of every system in
 * every environment, committed under `tests/golden/<stack>.tf.json`. A refactor leaves it
 * byte-identical; an intended change shows in the pull request as a diff of these files.
 * `npm run golden` rewrites it.
 */
export const GOLDEN_DIR = join(__dirname, "..", "..", "tests", "golden");

/** Every stack of every system and environment, synthesized: stack name -> cdk.tf.json text. */
export function synthesizeAll(): Record<string, string> {
  const { outdir, stacks } = synthToDisk({ systems: Object.keys(SYSTEMS), environments: [...ENVIRONMENT_NAMES] });
  try {
    return Object.fromEntries(stacks.sort().map((s) => [s, readFileSync(join(stackDir(outdir, s), "cdk.tf.json"), "utf8")]));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The committed snapshot: stack name -> cdk.tf.json text. */
export function readGolden(): Record<string, string> {
  if (!existsSync(GOLDEN_DIR)) return {};
  return Object.fromEntries(
    readdirSync(GOLDEN_DIR)
      .filter((f) => f.endsWith(".tf.json"))
      .sort()
      .map((f) => [f.replace(/\.tf\.json$/, ""), readFileSync(join(GOLDEN_DIR, f), "utf8")]),
  );
}

/** Rewrites the snapshot from a fresh synth. */
export function writeGolden(stacks: Record<string, string>): void {
  rmSync(GOLDEN_DIR, { recursive: true, force: true });
  mkdirSync(GOLDEN_DIR, { recursive: true });
  for (const [stack, json] of Object.entries(stacks)) writeFileSync(join(GOLDEN_DIR, `${stack}.tf.json`), json);
}

/** The resource addresses (`type.name`) of a synthesized stack, sorted. */
export function addressesOf(json: string): string[] {
  const parsed = JSON.parse(json) as { resource?: Record<string, Record<string, unknown>> };
  return Object.entries(parsed.resource ?? {})
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
}
