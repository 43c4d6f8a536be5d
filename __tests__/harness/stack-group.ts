import { readFileSync } from "fs";
import { join } from "path";
import { appliesInGroup, groupPartsOf } from "./stack-tests";
import { stackDir, StackJson } from "./synth";

/**
 * The stacks of one system and environment, merged into one configuration for the mock-apply
 * rung (./stack-tests.ts): each `terraform test` run and file costs terraform fixed work
 * (validate, plan, apply, and the teardown's three walks), whatever the run applies, so a
 * system's stacks applied as one configuration cost one run instead of one each (the dev
 * stacks' rung: 43 s of wall time grouped, 53 s one stack per run, on an idle 2-core machine).
 *
 * The stacks never reference each other's resources (each is a root of its own: what it reads
 * from another comes through a `terraform_remote_state`, here a stand-in state, and the
 * validate and plan rungs prove each stack alone), so their merged configuration applies the
 * disjoint union of their graphs. It merges only when nothing collides: a resource, data
 * source, output, local or variable of one name in two stacks must be the same block (the
 * remote states two stacks read from one producer are), and so must two provider blocks of
 * one alias, and two test files' overrides of one address. Otherwise the stacks are applied
 * one by one.
 */

/** The top-level sections merged by name. */
const NAMED = ["output", "locals", "variable"] as const;

export interface MergedStacks {
  /** The merged configuration: every stack's blocks, without a backend. */
  readonly json: StackJson;
  /** The stack each managed resource address (`aws_vpc.network_vpc`) comes from. */
  readonly ownerOf: ReadonlyMap<string, string>;
}

/**
 * The stacks by `groupOf` (a system in one environment), each group of two or more merged.
 * A stack whose test files (`testsDirsOf`) need more than mock providers, overrides and asserts
 * applies alone ({@link appliesInGroup}), and so does a group whose configurations or
 * overrides collide.
 */
export function groupStacks(
  outdir: string,
  stacks: readonly string[],
  groupOf: (stack: string) => string,
  testsDirsOf: (stack: string) => readonly string[],
): ({ readonly name: string; readonly stacks: string[] } & MergedStacks)[] {
  const byGroup = new Map<string, string[]>();
  for (const stack of stacks.filter((s) => appliesInGroup(testsDirsOf(s)))) byGroup.set(groupOf(stack), [...(byGroup.get(groupOf(stack)) ?? []), stack]);
  return [...byGroup].flatMap(([name, members]) => {
    if (members.length < 2 || overridesCollide(members.map(testsDirsOf))) return [];
    const merged = mergeStacks(new Map(members.map((stack) => [stack, JSON.parse(readFileSync(join(stackDir(outdir, stack), "cdk.tf.json"), "utf8")) as StackJson])));
    return "conflict" in merged ? [] : [{ name, stacks: members, ...merged }];
  });
}

/** Whether two stacks' test files override one address differently: in one file, one would win. */
function overridesCollide(testsDirs: readonly (readonly string[])[]): boolean {
  const byTarget = new Map<string, string>();
  for (const override of testsDirs.flatMap((dirs) => groupPartsOf(dirs)?.overrides ?? [])) {
    const target = /^\s*target\s*=\s*(\S+)/m.exec(override)?.[1] ?? override;
    if (byTarget.has(target) && byTarget.get(target) !== override) return true;
    byTarget.set(target, override);
  }
  return false;
}

/** The stacks' configurations merged, or why they don't merge. */
export function mergeStacks(stacks: ReadonlyMap<string, StackJson>): MergedStacks | { readonly conflict: string } {
  const merged: Record<string, Record<string, unknown>> = { resource: {}, data: {}, output: {}, locals: {}, variable: {} };
  const providers: Record<string, Record<string, unknown>[]> = {};
  const required: Record<string, unknown> = {};
  const ownerOf = new Map<string, string>();
  const from = new Map<string, string>();
  const put = (section: Record<string, unknown>, name: string, body: unknown, what: string, stack: string): string | undefined => {
    if (name in section && JSON.stringify(section[name]) !== JSON.stringify(body)) return `${what} is in ${from.get(what)} and ${stack}, not the same`;
    section[name] = body;
    from.set(what, from.get(what) ?? stack);
    return undefined;
  };
  for (const [stack, json] of stacks) {
    const conflicts: (string | undefined)[] = [];
    for (const mode of ["resource", "data"] as const) {
      for (const [type, byName] of Object.entries(json[mode] ?? {})) {
        const section = (merged[mode][type] ??= {}) as Record<string, unknown>;
        for (const [name, body] of Object.entries(byName)) {
          const address = `${mode === "data" ? "data." : ""}${type}.${name}`;
          conflicts.push(put(section, name, body, address, stack));
          if (mode === "resource") ownerOf.set(address, stack);
        }
      }
    }
    for (const section of NAMED) {
      for (const [name, body] of Object.entries((json[section] ?? {}) as Record<string, unknown>)) conflicts.push(put(merged[section], name, body, `${section}.${name}`, stack));
    }
    for (const [name, blocks] of Object.entries(json.provider ?? {})) {
      const list = (providers[name] ??= []);
      for (const block of blocks) {
        const same = list.find((b) => b.alias === block.alias);
        if (!same) list.push(block);
        else if (JSON.stringify(same) !== JSON.stringify(block)) conflicts.push(`provider ${name}${block.alias ? `.${block.alias}` : ""} differs in ${stack}`);
      }
    }
    const requiredHere = ((json.terraform as { required_providers?: Record<string, unknown> } | undefined)?.required_providers ?? {}) as Record<string, unknown>;
    for (const [name, spec] of Object.entries(requiredHere)) conflicts.push(put(required, name, spec, `required provider ${name}`, stack));
    const conflict = conflicts.find((c) => c !== undefined);
    if (conflict) return { conflict };
  }
  const json: StackJson = { terraform: { required_providers: required }, provider: providers };
  for (const [section, body] of Object.entries(merged)) if (Object.keys(body).length > 0) json[section] = body;
  return { json, ownerOf };
}
