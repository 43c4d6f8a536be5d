import { mkdirSync } from "fs";
import { join } from "path";
import { CombinedRoot, CombinedRootOptions } from "../../scripts/replan/combined-root";
import { planOfModule, STACKS_DIR } from "../../scripts/replan/modules";
import { PlanJson } from "../../scripts/replan/plan-json";
import { idempotencyOfModules, PlanVerdict, showPlan } from "../../scripts/replan/replan";
import { groupStacks } from "./stack-group";
import { StackGroup, StackTestResult, testStacks } from "./stack-tests";
import { Diagnostic, diagnosticText, PlanSummary, planSummariesOf, TerraformResult, TerraformWorkdir, Validation } from "./terraform";

/**
 * The stacks of a selection as the child modules of one terraform root (see
 * scripts/replan/modules.ts), so that each rung is one terraform command for all of them:
 * every command loads the aws provider's schema, seconds of CPU, and a rung run per stack
 * paid that once per stack. Each stack's directory is the harness's offline copy of it
 * (TerraformWorkdir: fake credentials, stand-ins for the remote states it reads), and each
 * rung reports per stack, with the stack's addresses as they are in the stack.
 *
 * Each stack's configuration is used as it is, as a module, but for its provider blocks: each
 * distinct provider configuration (as the offline override makes it) is declared once, in the
 * root, and passed to the stacks that have it (scripts/replan/modules.ts, shareProviders).
 * Terraform starts a provider process per configuration per module for every command, so
 * 23 stacks' own blocks cost more than their resources; shared, they are a handful (one per
 * system and region). The mock-apply rung runs each stack with its own blocks, as synthesized.
 * The stack's backend block is ignored (terraform warns so).
 * Each rung runs once, on first use; its result (or its failure) is kept for every stack.
 * A configuration error in one stack fails the plan, and so the plan and re-plan, of every
 * stack of the set; the message names the stacks whose files the errors point at.
 */
export class StackSet {
  public readonly root: TerraformWorkdir;
  private readonly combined: CombinedRoot;
  private readonly results = new Map<string, { value?: unknown; error?: unknown }>();

  /**
   * @param outdir the synth output holding the stacks (and the stacks they read)
   * @param options how the root is made (scripts/replan/combined-root.ts): `prepare` a stack's
   * directory (the HCL exit), `shareProviders` (default true)
   */
  constructor(
    private readonly outdir: string,
    public readonly stacks: readonly string[],
    private readonly options: CombinedRootOptions = {},
  ) {
    this.combined = new CombinedRoot(
      stacks.map((stack) => ({ name: stack, outdir, stack })),
      options,
    );
    this.root = this.combined.workdir;
  }

  /** The directory of a stack inside the root. */
  public memberDir(stack: string): string {
    return this.combined.memberDir(stack);
  }

  /**
   * The validate rung, as the plan states it: `terraform plan` first walks the whole
   * configuration as `terraform validate` does (against the provider schema, errors stop it
   * there), so each stack's validation is its part of the plan's diagnostics (the root's own go
   * to every stack), without a command of its own.
   */
  public validation(): Map<string, Validation> {
    const { byStack } = this.planRun();
    return new Map(this.stacks.map((stack) => [stack, { valid: !byStack.get(stack)!.some((d) => d.startsWith("error")), diagnostics: byStack.get(stack)! }]));
  }

  /** The plan rung: one offline `terraform plan` of the root, saved for the re-plan; what it does to each stack. */
  public plan(): Map<string, PlanSummary> {
    return this.once("plan", () => {
      const { out, byStack } = this.planRun();
      if (out.status !== 0) {
        const failing = [...byStack].filter(([, d]) => d.some((x) => x.startsWith("error")));
        throw new Error(`terraform plan of the stacks failed (exit ${out.status}):\n${failing.map(([stack, d]) => `${stack}:\n  ${d.join("\n  ")}`).join("\n")}\n${out.stderr}`);
      }
      const byModule = planSummariesOf(out.stdout);
      return new Map(this.stacks.map((stack) => [stack, byModule.get(`module.${stack}`) ?? { creates: {}, addresses: [], otherActions: [] }]));
    });
  }

  /** The offline `terraform plan -json` of the root, and its diagnostics by stack. */
  private planRun(): { out: TerraformResult; byStack: Map<string, string[]> } {
    return this.once("plan-run", () => {
      this.root.must(["init", "-input=false", "-reconfigure"]);
      const out = this.root.run(["plan", "-input=false", "-lock=false", "-json", "-out=tfplan"]);
      const diagnostics = out.stdout
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as { type: string; diagnostic?: Diagnostic })
        .flatMap((m) => (m.type === "diagnostic" && m.diagnostic ? [m.diagnostic] : []));
      return { out, byStack: this.diagnosticsByStack(diagnostics) };
    });
  }

  /**
   * The mock-apply rung: every stack's `.tftest.hcl` files (`testsDirsOf`) against the mock
   * provider, in one `terraform test` (./stack-tests.ts), in a directory of the root's own,
   * where each stack is as synthesized (its own provider blocks) with its offline override.
   */
  public test(testsDirsOf: (stack: string) => string[], groupOf?: (stack: string) => string): Map<string, StackTestResult> {
    return this.once("test", () => {
      const dir = join(this.root.dir, "mock-apply");
      mkdirSync(dir);
      const inputs = this.stacks.map((stack) => {
        const own = new TerraformWorkdir(this.outdir, stack, { at: join(dir, STACKS_DIR, stack) });
        own.writeOfflineOverride();
        this.options.prepare?.(stack, own.dir);
        return { stack, dir: own.dir, testsDirs: testsDirsOf(stack) };
      });
      const grouped = groupOf && !this.options.prepare ? this.groups(join(dir, "groups"), groupOf, testsDirsOf) : [];
      return testStacks(dir, inputs, grouped);
    });
  }

  /** The groups of {@link groupStacks}, each with its merged configuration and offline override in `dir`. */
  private groups(dir: string, groupOf: (stack: string) => string, testsDirsOf: (stack: string) => string[]): StackGroup[] {
    return groupStacks(this.outdir, this.stacks, groupOf, testsDirsOf).map(({ name, stacks, json, ownerOf }) => {
      const workdir = new TerraformWorkdir(this.outdir, name, { configuration: json, at: join(dir, name) });
      workdir.writeOfflineOverride();
      return { name, dir: workdir.dir, stacks, ownerOf };
    });
  }

  /** The saved plan (`terraform show -json`) as `stack` would have it alone. */
  public savedPlan(stack: string): PlanJson {
    return planOfModule(this.once("show", () => showPlan(this.root)), stack, this.combined.keysOf(stack));
  }

  /** The idempotency rung: the state built from the saved plan re-plans to no change, per stack (scripts/replan). */
  public idempotency(regionOf: (stack: string) => string): Map<string, PlanVerdict> {
    return this.once("idempotency", () => {
      this.plan();
      return idempotencyOfModules(this.root, this.stacks, regionOf, this.combined.shared);
    });
  }

  public dispose(): void {
    this.combined.dispose();
  }

  private once<T>(rung: string, run: () => T): T {
    if (!this.results.has(rung)) {
      try {
        this.results.set(rung, { value: run() });
      } catch (error) {
        this.results.set(rung, { error });
      }
    }
    const result = this.results.get(rung)!;
    if ("error" in result) throw result.error;
    return result.value as T;
  }

  /** Diagnostics as `<severity>: <summary> (<detail>)`, by the stack whose file they point at; the rest go to every stack. */
  private diagnosticsByStack(diagnostics: readonly Diagnostic[]): Map<string, string[]> {
    const byStack = new Map(this.stacks.map((stack) => [stack, [] as string[]]));
    for (const d of diagnostics) {
      // Each stack is a module here: its backend block is ignored, as the stack's own root would not.
      if (d.summary === "Backend configuration ignored") continue;
      const text = diagnosticText(d);
      const [dir, stack] = d.range?.filename.split("/") ?? [];
      const owners = dir === STACKS_DIR && byStack.has(stack) ? [stack] : this.stacks;
      for (const owner of owners) byStack.get(owner)!.push(text);
    }
    return byStack;
  }
}
