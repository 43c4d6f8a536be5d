import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { STACKS_DIR } from "../../scripts/replan/modules";
import { consoleEvaluator, modulesConsoleEvaluator } from "../../scripts/replan/replan";
import { StateBuilder, TerraformState } from "../../scripts/replan/state";
import { shouldRunTerraform, TerraformWorkdir } from "../harness/terraform";

/**
 * The re-plan's state builder asks `terraform console` for what only Terraform can evaluate
 * (functions, locals). These run the real console on configurations with no provider (fast).
 */

const EMPTY_STATE: TerraformState = { version: 4, terraform_version: "1.11.4", serial: 1, lineage: "replan-console-test", outputs: {}, resources: [], check_results: null };

(shouldRunTerraform("terraform console for the re-plan") ? describe : describe.skip)("the re-plan's terraform console", () => {
  const dirs: string[] = [];
  const directory = (files: Record<string, unknown>): string => {
    const dir = mkdtempSync(join(tmpdir(), "replan-console-"));
    dirs.push(dir);
    for (const [file, json] of Object.entries(files)) {
      mkdirSync(join(dir, file, ".."), { recursive: true });
      writeFileSync(join(dir, file), JSON.stringify(json));
    }
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("answers every expression of one call, not only the last", () => {
    const workdir = new TerraformWorkdir("", "console", { directory: directory({ "main.tf.json": { locals: { name: "web" } } }) });
    dirs.push(workdir.dir);
    const values = consoleEvaluator(workdir)(EMPTY_STATE, ["${local.name}", "${upper(local.name)}-${1 + 1}", { list: ["${local.name}", 3] }]);
    expect(values).toEqual(["web", "WEB-2", { list: ["web", 3] }]);
  });

  it("answers each stack of a combined root in its own module's scope, in one call", () => {
    const stack = (name: string) => ({ [`${STACKS_DIR}/${name}/cdk.tf.json`]: { locals: { name } } });
    const root = directory({ "main.tf.json": { module: { a: { source: `./${STACKS_DIR}/a` }, b: { source: `./${STACKS_DIR}/b` } } }, ...stack("a"), ...stack("b") });
    const workdir = new TerraformWorkdir("", "stack-set", { directory: root });
    dirs.push(workdir.dir);
    workdir.must(["init", "-input=false"]);
    const evaluate = modulesConsoleEvaluator(workdir, new Map<string, StateBuilder>(), "1.11.4");
    const answers = evaluate(
      new Map([
        ["a", ["${local.name}", "${jsonencode({ n = local.name })}"]],
        ["b", ["${upper(local.name)}"]],
      ]),
    );
    expect(Object.fromEntries(answers)).toEqual({ a: ["a", '{"n":"a"}'], b: ["B"] });
  });
});
