/**
 * Repairs two defects of cdktf 0.21's HCL renderer (`cdktf synth --hcl`), which is final and
 * will not be fixed upstream:
 *
 * - Attributes of the `terraform` block other than `required_providers` and `backend` are
 *   rendered by their position (`0 = "required_version"`), which Terraform cannot load.
 *   They are rendered again from the stack's own settings.
 * - The entries of `depends_on`, and of the lifecycle's `replace_triggered_by` and
 *   `ignore_changes`, are quoted strings. Terraform refuses them in `replace_triggered_by`, and
 *   accepts them elsewhere with a warning that they will be removed. They are written as plain
 *   references.
 * - Nested blocks given through an override (a WAF web ACL's `rule`), and a lifecycle's
 *   `precondition` and `postcondition`, are rendered as an attribute holding a list of objects
 *   (`rule = [{ action = { block = {} } }]`), which the provider schema and Terraform refuse.
 *   They are written back as blocks (see {@link blocksFromAttribute}).
 * - Strings in `locals` are parsed as if they were expressions: a boot script's line `{` or
 *   `"InstanceId": "$${aws:InstanceId}"` comes out as broken syntax. The locals are rendered
 *   again from the stack's JSON (see {@link localsBlock}).
 *
 * @param hcl a stack's `cdk.tf`, as cdktf wrote it
 * @param terraformSettings the stack's `terraform` attributes, e.g. `{ required_version: ">= 1.11.0" }`
 * @param locals the stack's `locals`, as its JSON holds them; @default the locals are left as rendered
 * @throws when a positional attribute names a setting not given, so a new one cannot slip through broken
 */
export function repairHcl(hcl: string, terraformSettings: Readonly<Record<string, string>>, locals?: Readonly<Record<string, unknown>>): string {
  const positional = /^(\s*)\d+ = "([A-Za-z_]+)"$/gm;
  const repaired = hcl.replace(positional, (_, indent: string, name: string) => {
    const value = terraformSettings[name];
    if (value === undefined) throw new Error(`cdk.tf: the terraform block's "${name}" was rendered without its value, and no value is known for it`);
    return `${indent}${name} = ${JSON.stringify(value)}`;
  });
  const unquoted = repaired.replace(/^(\s*)(depends_on|replace_triggered_by|ignore_changes) = \[\n((?:\s*"[^"\n]+",?\n)+)(\s*)\]/gm, (_, indent: string, name: string, entries: string, close: string) => {
    const unquoted = entries.replace(/"([^"\n]+)"/g, "$1");
    return `${indent}${name} = [\n${unquoted}${close}]`;
  });
  const blocks = blocksFromAttribute(unquoted, OVERRIDDEN_BLOCKS);
  return locals === undefined ? blocks : replaceLocals(blocks, locals);
}

/** A top-level block's first line, as cdktf writes it: `resource "aws_vpc" "main" {`, `locals {`. */
const TOP_LEVEL_BLOCK = /^[a-z_]+( "[^"]*")* \{$/;

/**
 * `hcl` with its `locals` blocks replaced by one holding `locals`, where the first stood. A
 * block ends at the last `}` before the next top-level block: its mangled content may hold
 * any braces, but every line of it is indented or quoted, never a block's first line.
 */
function replaceLocals(hcl: string, locals: Readonly<Record<string, unknown>>): string {
  const lines = hcl.split("\n");
  const out: string[] = [];
  let written = false;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== "locals {") {
      out.push(lines[i]);
      continue;
    }
    let next = i + 1;
    while (next < lines.length && !TOP_LEVEL_BLOCK.test(lines[next])) next++;
    let close = next - 1;
    while (close > i && lines[close] !== "}") close--;
    if (close === i) throw new Error(`cdk.tf: the locals block at line ${i + 1} never closes`);
    if (!written && Object.keys(locals).length > 0) out.push(localsBlock(locals));
    written = true;
    i = close;
  }
  if (!written && Object.keys(locals).length > 0) throw new Error("cdk.tf: the stack has locals, but its HCL has no locals block to replace");
  return out.join("\n");
}

/**
 * A `locals` block holding `locals`, in HCL's native syntax. Terraform reads a JSON string as
 * a template, as it reads a quoted HCL string, and JSON's escapes are HCL's: a value written
 * with JSON.stringify means in HCL what it meant in the JSON.
 */
function localsBlock(locals: Readonly<Record<string, unknown>>): string {
  const value = (v: unknown, indent: string): string => {
    const inner = `${indent}  `;
    if (Array.isArray(v)) return v.length === 0 ? "[]" : `[\n${v.map((item) => `${inner}${value(item, inner)},\n`).join("")}${indent}]`;
    if (v !== null && typeof v === "object") {
      const entries = Object.entries(v);
      return entries.length === 0 ? "{}" : `{\n${entries.map(([k, item]) => `${inner}${JSON.stringify(k)} = ${value(item, inner)}\n`).join("")}${indent}}`;
    }
    return JSON.stringify(v);
  };
  return `locals {\n${Object.entries(locals).map(([name, v]) => `  ${name} = ${value(v, "  ")}\n`).join("")}}`;
}

/** A lifecycle's blocks, which cdktf renders as attributes in every resource. */
const LIFECYCLE_BLOCKS: readonly string[] = ["precondition", "postcondition"];

/** Block types the project writes through overrides, which cdktf renders as attributes, by resource type. */
const OVERRIDDEN_BLOCKS: Readonly<Record<string, readonly string[]>> = { aws_wafv2_web_acl: ["rule"] };

/**
 * Rewrites `name = [ { ... }, ... ]` (a list of objects, as cdktf renders override blocks) as
 * repeated `name { ... }` blocks, recursively, inside the resources of the given types, and
 * a lifecycle's conditions in any resource: an object-valued attribute inside becomes a block,
 * a list of objects repeated blocks; scalars and lists of scalars stay attributes. It reads
 * the structure from the braces, not the indentation (cdktf writes none; the CLI formats the
 * file afterwards), and indents by depth.
 */
export function blocksFromAttribute(hcl: string, blocks: Readonly<Record<string, readonly string[]>>): string {
  const lines = hcl.split("\n");
  const out: string[] = [];
  let names: readonly string[] = [];
  let depth = 0; // of braces: a resource's attributes sit at depth 1
  let inLifecycle = false;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    const resource = /^resource "([^"]+)" "[^"]+" \{$/.exec(t);
    if (resource && depth === 0) names = blocks[resource[1]] ?? [];
    const m = /^(\s*)([A-Za-z_][A-Za-z0-9_]*) = \[$/.exec(lines[i]);
    const listOfObjects = m !== null && (lines[i + 1] ?? "").trim() === "{";
    if (m && listOfObjects && ((depth === 1 && names.includes(m[2])) || (depth === 2 && inLifecycle && LIFECYCLE_BLOCKS.includes(m[2])))) {
      i = convertList(lines, i, m[2], m[1].length > 0 ? m[1] : "  ".repeat(depth), out);
      continue;
    }
    out.push(lines[i]);
    if (t.startsWith("}")) depth--;
    if (t.endsWith("{")) depth++;
    if (depth === 2 && t === "lifecycle {") inLifecycle = true;
    if (depth < 2) inLifecycle = false;
    if (depth === 0) names = [];
  }
  return out.join("\n");
}

/** Writes the list of objects opened at `start` as `name` blocks at `indent`; returns the index of its closing `]`. */
function convertList(lines: string[], start: number, name: string, indent: string, out: string[]): number {
  for (let i = start + 1; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === "]" || t === "],") return i;
    if (t !== "{") throw new Error(`cdk.tf: line ${i + 1} of the list ${name} is not an object: ${t}`);
    out.push(`${indent}${name} {`);
    i = convertBody(lines, i + 1, `${indent}  `, out);
    out.push(`${indent}}`);
  }
  throw new Error(`cdk.tf: the list ${name} opened at line ${start + 1} never closes`);
}

/** Writes an object's body from `i` at `indent`, nested objects as blocks; returns the index of its closing `}`. */
function convertBody(lines: string[], i: number, indent: string, out: string[]): number {
  for (; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === "}" || t === "},") return i;
    const object = /^([A-Za-z_][A-Za-z0-9_]*) = \{$/.exec(t);
    const list = /^([A-Za-z_][A-Za-z0-9_]*) = \[$/.exec(t);
    if (object) {
      out.push(`${indent}${object[1]} {`);
      i = convertBody(lines, i + 1, `${indent}  `, out);
      out.push(`${indent}}`);
    } else if (list && (lines[i + 1] ?? "").trim() === "{") {
      i = convertList(lines, i, list[1], indent, out);
    } else if (list) {
      // a multi-line list of scalars: copied as it is, up to its `]`
      out.push(`${indent}${t}`);
      for (i++; i < lines.length && !/^\],?$/.test(lines[i].trim()); i++) out.push(`${indent}  ${lines[i].trim()}`);
      out.push(`${indent}]`);
    } else {
      out.push(`${indent}${t}`);
    }
  }
  throw new Error("cdk.tf: an object never closes");
}
