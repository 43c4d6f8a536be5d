import { readdirSync, readFileSync } from "fs";
import { dirname, join, relative, resolve } from "path";

/**
 * Dependencies point one way: systems -> stacks -> constructs -> lib, with config beside them.
 * `src/lib` holds facts that don't depend on configuration (the error type, regions, support
 * calendars) and imports nothing of the project's above it; constructs import no stack or system.
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
});
