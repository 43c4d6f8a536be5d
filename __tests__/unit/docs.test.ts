import { readdirSync, readFileSync, statSync } from "fs";
import { join, relative } from "path";

const ROOT = join(__dirname, "..", "..");

/** Every file a user of the repository gets, under the given folders (no dependencies, no output). */
function filesUnder(...dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (["node_modules", "cdktf.out", ".gen", ".terraform", "golden"].includes(name)) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(path);
    }
  };
  dirs.forEach((d) => walk(join(ROOT, d)));
  return out;
}

describe("documentation a user of the repository reads", () => {
  const files = [join(ROOT, "README.md"), join(ROOT, "main.ts"), ...filesUnder("docs", "src", "scripts", "__tests__", "tests")];

  it("points at no file outside the repository (the systems are described in docs/systems.md)", () => {
    const outside = files.filter((f) => /\.\.\/shared\b|\bseeds\//.test(readFileSync(f, "utf8"))).map((f) => relative(ROOT, f));
    expect(outside).toEqual([]);
  });

  it("describes every built-in system in docs/systems.md", () => {
    const systems = readFileSync(join(ROOT, "docs", "systems.md"), "utf8");
    for (const name of ["Joblet", "AlgoItny", "MueJam", "Duewin", "ODE"]) expect(systems).toContain(`## ${name}`);
  });
});
