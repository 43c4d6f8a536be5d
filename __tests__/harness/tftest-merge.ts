/**
 * A stack's `.tftest.hcl` files, merged into as few `terraform test` runs as they allow.
 *
 * Terraform 1.11 starts the aws provider about six times per run (validate, plan, apply and
 * their schemas), and once more per file for the teardown, whether the provider is mocked or
 * not. Most of a stack's files are alike: the same `mock_provider` blocks, then `command =
 * apply` runs holding only asserts. Those asserts read the same applied configuration, so
 * they go into one run of one file, and the stack applies once instead of once per run.
 *
 * A file merges only when everything in it is of that shape: top-level `mock_provider` (or
 * other non-run) blocks, and runs holding `command = apply` (or no `command`: apply is the
 * default), asserts, comments and blank lines. Files merge only with files whose non-run
 * blocks are the same (so an `override_resource` applies exactly where it did). Anything else
 * (a `command = plan` run, `variables`, `expect_failures`) stays as it was. The files are
 * `terraform fmt`-formatted: a top-level block closes with `}` at the start of a line, an
 * assert with `  }`.
 */

/** A `run "<name>" {` line. */
export const RUN_HEAD = /^run\s+"[^"]*"\s*\{\s*$/;

/** The line that closes the top-level block opened at line `start`: `}` at the start of a line; -1 if none. */
export function topLevelBlockEnd(lines: readonly string[], start: number): number {
  return lines.findIndex((l, j) => j > start && /^\}\s*$/.test(l));
}

export interface TestFile {
  readonly name: string;
  readonly text: string;
}

/** `files` with the mergeable ones merged, per set of non-run blocks, into one run each. */
export function mergeApplyRuns(files: readonly TestFile[]): TestFile[] {
  const kept: TestFile[] = [];
  const groups = new Map<string, { files: string[]; asserts: string[] }>();
  for (const file of files) {
    const parsed = parseApplyFile(file.text);
    if (!parsed) {
      kept.push(file);
      continue;
    }
    const group = groups.get(parsed.header) ?? { files: [], asserts: [] };
    groups.set(parsed.header, group);
    group.files.push(file.name);
    group.asserts.push(...parsed.asserts);
  }
  const merged = [...groups].map(([header, group], i) => ({
    name: `merged-${i + 1}.tftest.hcl`,
    text: [`# Generated: the asserts of ${group.files.join(", ")}, in one apply run.`, header, "", 'run "asserts" {', "  command = apply", "", group.asserts.join("\n\n"), "}", ""].join("\n"),
  }));
  return [...merged, ...kept];
}

/**
 * The non-run blocks (joined, and each) and the asserts of a mergeable file: its runs hold
 * only asserts, under one of `commands`; undefined for any other.
 */
export function parseApplyFile(text: string, commands: readonly ("apply" | "plan")[] = ["apply"]): { header: string; blocks: string[]; asserts: string[] } | undefined {
  const lines = text.split("\n");
  const header: string[] = [];
  const asserts: string[] = [];
  let runs = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(#.*|\/\/.*)?$/.test(line)) continue;
    if (!/^\S.*\{\s*$/.test(line)) return undefined;
    const end = topLevelBlockEnd(lines, i);
    if (end < 0) return undefined;
    const body = lines.slice(i + 1, end);
    if (RUN_HEAD.test(line)) {
      const own = assertsOfRun(body, commands);
      if (!own) return undefined;
      asserts.push(...own);
      runs++;
    } else {
      header.push(lines.slice(i, end + 1).join("\n"));
    }
    i = end;
  }
  return runs > 0 ? { header: header.join("\n\n"), blocks: header, asserts } : undefined;
}

/**
 * The assert blocks of a run body that holds only asserts, comments, blank lines and a
 * `command` of `commands` (none: apply, the default).
 */
function assertsOfRun(body: readonly string[], commands: readonly string[]): string[] | undefined {
  const command = body.map((l) => /^ {2}command\s*=\s*(\w+)\s*$/.exec(l)?.[1]).find((c) => c !== undefined) ?? "apply";
  if (!commands.includes(command)) return undefined;
  const asserts: string[] = [];
  for (let i = 0; i < body.length; i++) {
    const line = body[i];
    if (/^\s*(#.*|\/\/.*)?$/.test(line) || /^ {2}command\s*=\s*\w+\s*$/.test(line)) continue;
    if (!/^ {2}assert\s*\{\s*$/.test(line)) return undefined;
    const end = body.findIndex((l, j) => j > i && /^ {2}\}\s*$/.test(l));
    if (end < 0) return undefined;
    asserts.push(body.slice(i, end + 1).join("\n"));
    i = end;
  }
  return asserts;
}
