/**
 * Repairs two defects of cdktf 0.21's HCL renderer (`cdktf synth --hcl`), which is final and
 * will not be fixed upstream:
 *
 * - Attributes of the `terraform` block other than `required_providers` and `backend` are
 *   rendered by their position (`0 = "required_version"`), which Terraform cannot load.
 *   They are rendered again from the stack's own settings.
 * - `depends_on` entries are quoted strings, which Terraform 1.x accepts with a warning that
 *   they will be removed. They are written as plain references.
 * - Nested blocks given through an override (a WAF web ACL's `rule`) are rendered as an
 *   attribute holding a list of objects (`rule = [{ action = { block = {} } }]`), which the
 *   provider schema refuses. They are written back as blocks (see {@link blocksFromAttribute}).
 *
 * @param hcl a stack's `cdk.tf`, as cdktf wrote it
 * @param terraformSettings the stack's `terraform` attributes, e.g. `{ required_version: ">= 1.10.0" }`
 * @throws when a positional attribute names a setting not given, so a new one cannot slip through broken
 */
export function repairHcl(hcl: string, terraformSettings: Readonly<Record<string, string>>): string {
  const positional = /^(\s*)\d+ = "([A-Za-z_]+)"$/gm;
  const repaired = hcl.replace(positional, (_, indent: string, name: string) => {
    const value = terraformSettings[name];
    if (value === undefined) throw new Error(`cdk.tf: the terraform block's "${name}" was rendered without its value, and no value is known for it`);
    return `${indent}${name} = ${JSON.stringify(value)}`;
  });
  const unquoted = repaired.replace(/^(\s*)depends_on = \[\n((?:\s*"[^"\n]+",?\n)+)(\s*)\]/gm, (_, indent: string, entries: string, close: string) => {
    const unquoted = entries.replace(/"([^"\n]+)"/g, "$1");
    return `${indent}depends_on = [\n${unquoted}${close}]`;
  });
  return blocksFromAttribute(unquoted, OVERRIDDEN_BLOCKS);
}

/** Block types the project writes through overrides, which cdktf renders as attributes. */
const OVERRIDDEN_BLOCKS: readonly string[] = ["rule"];

/**
 * Rewrites `name = [ { ... }, ... ]` (a list of objects, as cdktf renders override blocks)
 * as repeated `name { ... }` blocks, recursively: an object-valued attribute inside becomes a
 * block, a list of objects repeated blocks; scalars and lists of scalars stay attributes.
 */
export function blocksFromAttribute(hcl: string, names: readonly string[]): string {
  const lines = hcl.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)([A-Za-z_][A-Za-z0-9_]*) = \[$/.exec(lines[i]);
    if (m && names.includes(m[2]) && /^\s*\{$/.test(lines[i + 1] ?? "")) {
      i = convertList(lines, i, m[1], m[2], out);
    } else {
      out.push(lines[i]);
    }
  }
  return out.join("\n");
}

/**
 * Converts the list attribute opened at `start`; returns the index of its closing `]`. Element
 * bodies sit two columns deeper than a block's body would, so `shift` columns come off each line.
 */
function convertList(lines: string[], start: number, indent: string, name: string, out: string[], shift = 0): number {
  const at = indent.slice(shift);
  let i = start + 1;
  while (!new RegExp(`^${indent}\\]$`).test(lines[i])) {
    if (i >= lines.length) throw new Error(`cdk.tf: the list ${name} opened at line ${start + 1} never closes`);
    // an element: `{` ... `},`
    out.push(`${at}${name} {`);
    i = convertObjectBody(lines, i + 1, `${indent}  `, out, shift + 2);
    out.push(`${at}}`);
    i++;
  }
  return i;
}

/** Copies an object's body from `i` up to its closing `}`/`},` (at `indent`), converting nested objects to blocks; returns that closing line's index. */
function convertObjectBody(lines: string[], i: number, indent: string, out: string[], shift: number): number {
  const push = (line: string) => out.push(line.slice(Math.min(shift, line.length - line.trimStart().length)));
  for (;;) {
    const line = lines[i];
    if (line === undefined) throw new Error("cdk.tf: an object never closes");
    if (new RegExp(`^${indent}\\},?$`).test(line)) return i;
    const object = /^(\s*)([A-Za-z_][A-Za-z0-9_]*) = \{$/.exec(line);
    const list = /^(\s*)([A-Za-z_][A-Za-z0-9_]*) = \[$/.exec(line);
    if (object) {
      push(`${object[1]}${object[2]} {`);
      i = convertObjectBody(lines, i + 1, object[1], out, shift);
      push(`${object[1]}}`);
    } else if (list && /^\s*\{$/.test(lines[i + 1] ?? "")) {
      i = convertList(lines, i, list[1], list[2], out, shift);
    } else {
      push(line);
    }
    i++;
  }
}
