import { readdirSync, readFileSync } from "fs";
import { dirname, join, relative, resolve } from "path";

/**
 * Dependencies point one way: systems -> stacks -> config -> constructs -> lib.
 * `src/lib` holds facts that don't depend on configuration (the error type, regions, support
 * calendars) and imports nothing of the project's above it; constructs import no stack or system,
 * and nothing from `src/config`: each module's settings (schema, defaults, cross-key checks) sit
 * beside its construct as `settings.ts`, and `src/config` composes them into a system's.
 */
const SRC = join(__dirname, "..", "..", "src");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

/** The `src/` folders each file of `folder` imports from, as "file -> folder/module". */
function importsOf(folder: string): string[] {
  return filesUnder(join(SRC, folder)).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/from "(\.{1,2}\/[^"]+)"/g)].map((m) => `${relative(SRC, file)} -> ${relative(SRC, resolve(dirname(file), m[1]))}`),
  );
}

describe("import direction", () => {
  it("src/lib imports only src/lib", () => {
    expect(importsOf("lib").filter((i) => !/ -> lib\//.test(i))).toEqual([]);
  });

  it("src/constructs imports no stack, system or contract", () => {
    expect(importsOf("constructs").filter((i) => / -> (stacks|systems|contracts)\//.test(i))).toEqual([]);
  });

  it("src/constructs imports nothing from src/config", () => {
    expect(importsOf("constructs").filter((i) => / -> config(\/|$)/.test(i))).toEqual([]);
  });

  it("reads every import of a construct file, so the rules above see each one", () => {
    // Guards the scanner: a module's settings import lib, and the ALB's settings are imported by the ASG's.
    expect(importsOf("constructs")).toEqual(expect.arrayContaining(["constructs/rds/settings.ts -> lib/setting-schemas", "constructs/asg/settings.ts -> constructs/alb/settings"]));
  });
});
