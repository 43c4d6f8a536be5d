import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { mergeApplyRuns, TestFile } from "../harness/tftest-merge";
import { TFTEST_DIR } from "../harness/terraform";

const MOCK = 'mock_provider "aws" {\n  source = "./tests/mocks"\n}\n';
const assert = (condition: string) => `  assert {\n    condition     = ${condition}\n    error_message = "${condition} must hold"\n  }\n`;
const run = (name: string, command: string, ...asserts: string[]) => `run "${name}" {\n  command = ${command}\n\n${asserts.join("\n")}}\n`;
const asserts = (files: readonly TestFile[]) => files.flatMap((f) => f.text.match(/^ {2}assert \{$/gm) ?? []).length;

describe("mergeApplyRuns (a stack's test files in as few runs as they allow)", () => {
  it("puts the asserts of apply runs under the same mock providers into one apply run", () => {
    const files = [
      { name: "a.tftest.hcl", text: `# a comment\n${MOCK}\n${run("one", "apply", assert("true"))}\n${run("two", "apply", assert("1 == 1"), assert("2 == 2"))}` },
      { name: "b.tftest.hcl", text: `${MOCK}\n${run("three", "apply", assert("3 == 3"))}` },
    ];
    const merged = mergeApplyRuns(files);
    expect(merged).toHaveLength(1);
    expect(merged[0].text.match(/^run "/gm)).toHaveLength(1);
    expect(merged[0].text.match(/^mock_provider "aws"/gm)).toHaveLength(1);
    expect(merged[0].text).toContain("command = apply");
    for (const c of ["true", "1 == 1", "2 == 2", "3 == 3"]) expect(merged[0].text).toContain(assert(c).trimEnd());
  });

  it("keeps files apart whose other blocks differ, and leaves any other shape as it was", () => {
    const override = `${MOCK}\noverride_resource {\n  target = aws_acm_certificate.x\n  values = { arn = "arn" }\n}\n`;
    const plan = { name: "plan.tftest.hcl", text: `${MOCK}\n${run("p", "plan", assert("true"))}` };
    const variables = { name: "vars.tftest.hcl", text: `${MOCK}\nrun "v" {\n  command = apply\n  variables {\n    x = 1\n  }\n${assert("true")}}\n` };
    const merged = mergeApplyRuns([
      { name: "a.tftest.hcl", text: `${MOCK}\n${run("a", "apply", assert("true"))}` },
      { name: "o.tftest.hcl", text: `${override}\n${run("o", "apply", assert("true"))}` },
      plan,
      variables,
    ]);
    expect(merged.map((f) => f.name)).toEqual(["merged-1.tftest.hcl", "merged-2.tftest.hcl", "plan.tftest.hcl", "vars.tftest.hcl"]);
    expect(merged[1].text).toContain("override_resource {");
    expect(merged.slice(2)).toEqual([plan, variables]);
  });

  it("keeps every assert of the project's own test files", () => {
    const dirs = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? dirs(join(dir, e.name)) : e.name.endsWith(".tftest.hcl") ? [dir] : []));
    for (const dir of [...new Set(dirs(TFTEST_DIR))]) {
      const files = readdirSync(dir)
        .filter((f) => f.endsWith(".tftest.hcl"))
        .map((f) => ({ name: f, text: readFileSync(join(dir, f), "utf8") }));
      expect({ dir, asserts: asserts(mergeApplyRuns(files)) }).toEqual({ dir, asserts: asserts(files) });
    }
    // All of them merge but those with a plan run or a run that expects a failure: the point of merging.
    const all = [...new Set(dirs(TFTEST_DIR))].flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith(".tftest.hcl")).map((f) => ({ name: join(dir, f), text: readFileSync(join(dir, f), "utf8") })));
    expect(mergeApplyRuns(all).filter((f) => !f.name.startsWith("merged-"))).toEqual(all.filter((f) => /^ {2}(command = plan|expect_failures\s*=)/m.test(f.text)));
  });
});
