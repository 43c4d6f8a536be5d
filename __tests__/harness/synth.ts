import { mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, TerraformStack, Testing } from "cdktf";
import { buildSystems, planSystems } from "../../src/app";
import { Overrides } from "../../src/config/overrides";
import { Selection } from "../../src/config/selection";
import { HARNESS_PLAN, withHarnessInputs } from "./inputs";

/** A synthesized stack, parsed: the Terraform JSON a user would review. */
export type StackJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; description?: string; sensitive?: boolean }>;
  provider?: Record<string, Record<string, unknown>[]>;
  terraform?: Record<string, unknown>;
  [key: string]: unknown;
};

/**
 * Plans the selection as the test suite does: the harness's required inputs (./inputs.ts)
 * under the test's own overrides, and the fixed clock.
 */
export function planHarness(selection: Selection, overrides?: Overrides) {
  return planSystems(selection, withHarnessInputs(selection, overrides), HARNESS_PLAN);
}

/** Builds the selected systems' stacks in a test app, without writing anything. */
export function buildStacks(selection: Selection, overrides?: Overrides): TerraformStack[] {
  const app = Testing.app();
  return buildSystems(app, planHarness(selection, overrides));
}

/** The synth warnings (`Annotations.addWarning`) of every construct of `stacks`. */
export function warningsOf(stacks: readonly TerraformStack[]): string[] {
  return stacks.flatMap((s) => s.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data))));
}

/** One stack of the selection, synthesized and parsed. */
export function synthStack(selection: Selection, stackName: string, overrides?: Overrides): StackJson {
  const stack = buildStacks(selection, overrides).find((s) => s.node.id === stackName);
  if (!stack) throw new Error(`selection has no stack ${stackName}`);
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

/**
 * The boot script of a synthesized launch template: its `user_data` is
 * `base64encode(join("\n", local.<name>))`, the local holding the script's lines (with `${`
 * and `%{` escaped for Terraform).
 */
export function bootScriptOf(stack: StackJson, launchTemplate: string): string {
  const userData = String(resourcesOf(stack, "aws_launch_template")[launchTemplate]?.user_data);
  const local = /^\$\{base64encode\(join\("\\n", local\.([A-Za-z0-9_-]+)\)\)\}$/.exec(userData)?.[1];
  const lines = local ? (stack as { locals?: Record<string, unknown> }).locals?.[local] : undefined;
  if (!Array.isArray(lines)) throw new Error(`${launchTemplate}'s user_data is not the base64 of a local's lines: ${userData.slice(0, 80)}`);
  return lines.map((line) => String(line).replace(/\$\$\{/g, () => "${").replace(/%%\{/g, () => "%{")).join("\n");
}

/** The resources of one type in a synthesized stack, by name. */
export function resourcesOf(stack: StackJson, type: string): Record<string, Record<string, unknown>> {
  return stack.resource?.[type] ?? {};
}

/**
 * The managed resources' addresses of a synthesized stack on disk, sorted. The golden snapshot
 * (tests/golden) pins them for every stack; the plan rung proves Terraform plans exactly these.
 */
export function resourceAddressesOf(outdir: string, stack: string): string[] {
  const json = JSON.parse(readFileSync(join(stackDir(outdir, stack), "cdk.tf.json"), "utf8")) as StackJson;
  return Object.entries(json.resource ?? {})
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
}

/** Synthesizes the selection to a temporary directory, as `cdktf synth` would; returns it and the stack names. */
export function synthToDisk(selection: Selection, overrides?: Overrides): { outdir: string; stacks: string[] } {
  const outdir = mkdtempSync(join(tmpdir(), "cdktf-out-"));
  const app = new App({ outdir });
  buildSystems(app, planHarness(selection, overrides));
  app.synth();
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
  return { outdir, stacks: Object.keys(manifest.stacks) };
}

/** The stack directory of a synthesized stack. */
export function stackDir(outdir: string, stack: string): string {
  return join(outdir, "stacks", stack);
}
