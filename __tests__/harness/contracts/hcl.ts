/**
 * A small evaluator for the Terraform expressions cdktf writes into synthesized JSON:
 * `${...}` templates holding references (`aws_x.name.attr`, `data.terraform_remote_state.
 * <input>.outputs.<output>`), object and tuple literals, strings with interpolation, and the
 * few functions the project uses (jsonencode, element, split, tostring, base64encode, join).
 * An unknown function fails loudly, so a new construct pattern can't be silently mis-read.
 */

/** Resolves a reference (`a.b[0].c` as its parts) to a value. */
export type ReferenceResolver = (parts: (string | number)[]) => unknown;

type Token = { kind: "punct" | "ident" | "number" | "string"; value: string; parts?: TemplatePart[] };
type TemplatePart = { literal: string } | { expr: string };

/** Splits a template (the inside of a JSON string) into literal text and `${...}` expressions. */
export function templateParts(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("$${", i)) {
      literal += "${";
      i += 3;
    } else if (text.startsWith("${", i)) {
      const end = matchingBrace(text, i + 1);
      if (literal) parts.push({ literal });
      literal = "";
      parts.push({ expr: text.slice(i + 2, end) });
      i = end + 1;
    } else {
      literal += text[i];
      i += 1;
    }
  }
  if (literal || parts.length === 0) parts.push({ literal });
  return parts;
}

/** The index of the `}` closing the `{` at `open`, skipping strings. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"') {
      i = endOfString(text, i);
    } else if (c === "{") depth += 1;
    else if (c === "}") {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  throw new Error(`unbalanced braces in ${text}`);
}

/** The index of the `"` closing the string opened at `open` (strings may hold `${...}`). */
function endOfString(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i += 1) {
    if (text[i] === "\\") i += 1;
    else if (text.startsWith("${", i)) i = matchingBrace(text, i + 1);
    else if (text[i] === '"') return i;
  }
  throw new Error(`unterminated string in ${text}`);
}

function unescape(raw: string): string {
  return raw.replace(/\\(["\\nrt])/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c as "n"] ?? c);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '"') {
      const end = endOfString(text, i);
      const raw = text.slice(i + 1, end);
      // Escapes apply to literal text only; expressions keep theirs for their own parse.
      const parts = templateParts(raw).map((p) => ("literal" in p ? { literal: unescape(p.literal) } : p));
      tokens.push({ kind: "string", value: raw, parts });
      i = end + 1;
    } else if ("{}[](),=:.?".includes(c)) {
      tokens.push({ kind: "punct", value: c });
      i += 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(text.slice(i))!;
      tokens.push({ kind: "number", value: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_*]/.test(c)) {
      const m = /^[A-Za-z_*][A-Za-z0-9_\-*]*/.exec(text.slice(i))!;
      tokens.push({ kind: "ident", value: m[0] });
      i += m[0].length;
    } else {
      throw new Error(`unexpected '${c}' in expression ${text}`);
    }
  }
  return tokens;
}

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  jsonencode: (v) => JSON.stringify(v),
  tostring: (v) => String(v),
  element: (list, i) => {
    const l = list as unknown[];
    return l[Number(i) % l.length];
  },
  split: (sep, s) => String(s).split(String(sep)),
  join: (sep, list) => (list as unknown[]).join(String(sep)),
  base64encode: (s) => Buffer.from(String(s), "utf8").toString("base64"),
  lower: (s) => String(s).toLowerCase(),
  format: (f, ...args) => {
    let k = 0;
    return String(f).replace(/%[sd]/g, () => String(args[k++]));
  },
};

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly resolve: ReferenceResolver,
    private readonly source: string,
  ) {}

  parseAll(): unknown {
    const v = this.expression();
    if (this.pos !== this.tokens.length) throw new Error(`trailing tokens in expression ${this.source}`);
    return v;
  }

  private peek(value?: string): boolean {
    const t = this.tokens[this.pos];
    return t !== undefined && (value === undefined || (t.kind === "punct" && t.value === value));
  }

  private expect(value: string): void {
    if (!this.peek(value)) throw new Error(`expected '${value}' at token ${this.pos} of ${this.source}`);
    this.pos += 1;
  }

  private expression(): unknown {
    let value = this.primary();
    // Postfix traversal on any value: .attr and [index].
    for (;;) {
      if (this.peek(".")) {
        this.pos += 1;
        const t = this.tokens[this.pos++];
        value = index(value, t.kind === "number" ? Number(t.value) : t.value);
      } else if (this.peek("[")) {
        this.pos += 1;
        const i = this.expression();
        this.expect("]");
        value = index(value, i as string | number);
      } else return value;
    }
  }

  private primary(): unknown {
    const t = this.tokens[this.pos];
    if (!t) throw new Error(`unexpected end of expression ${this.source}`);
    if (t.kind === "string") {
      this.pos += 1;
      return evalTemplate(t.parts!, this.resolve);
    }
    if (t.kind === "number") {
      this.pos += 1;
      return Number(t.value);
    }
    if (t.kind === "punct" && t.value === "{") return this.object();
    if (t.kind === "punct" && t.value === "[") return this.tuple();
    if (t.kind === "ident") {
      if (t.value === "true" || t.value === "false") {
        this.pos += 1;
        return t.value === "true";
      }
      if (t.value === "null") {
        this.pos += 1;
        return null;
      }
      if (this.tokens[this.pos + 1]?.kind === "punct" && this.tokens[this.pos + 1].value === "(") return this.call();
      return this.reference();
    }
    throw new Error(`unexpected '${t.value}' in expression ${this.source}`);
  }

  private object(): Record<string, unknown> {
    this.expect("{");
    const out: Record<string, unknown> = {};
    while (!this.peek("}")) {
      const k = this.tokens[this.pos++];
      const key = k.kind === "string" ? String(evalTemplate(k.parts!, this.resolve)) : k.value;
      if (this.peek("=")) this.expect("=");
      else this.expect(":");
      out[key] = this.expression();
      if (this.peek(",")) this.pos += 1;
    }
    this.expect("}");
    return out;
  }

  private tuple(): unknown[] {
    this.expect("[");
    const out: unknown[] = [];
    while (!this.peek("]")) {
      out.push(this.expression());
      if (this.peek(",")) this.pos += 1;
    }
    this.expect("]");
    return out;
  }

  private call(): unknown {
    const name = this.tokens[this.pos].value;
    this.pos += 1;
    this.expect("(");
    const args: unknown[] = [];
    while (!this.peek(")")) {
      args.push(this.expression());
      if (this.peek(",")) this.pos += 1;
    }
    this.expect(")");
    const fn = FUNCTIONS[name];
    if (!fn) throw new Error(`the contract rung does not know the function ${name}() (in ${this.source}); add it to hcl.ts`);
    return fn(...args);
  }

  /** A reference: identifiers joined by `.`, with `[n]` indexes; the resolver turns it into a value. */
  private reference(): unknown {
    const parts: (string | number)[] = [this.tokens[this.pos++].value];
    for (;;) {
      if (this.peek(".") && this.tokens[this.pos + 1]?.kind !== "punct") {
        this.pos += 1;
        const t = this.tokens[this.pos++];
        parts.push(t.kind === "number" ? Number(t.value) : t.value);
      } else if (this.peek("[")) {
        const save = this.pos;
        this.pos += 1;
        const t = this.tokens[this.pos];
        if (t?.kind === "number" && this.tokens[this.pos + 1]?.value === "]") {
          parts.push(Number(t.value));
          this.pos += 2;
        } else {
          this.pos = save;
          break;
        }
      } else break;
    }
    return this.resolve(parts);
  }
}

/** `value[key]`, where a single object also answers `[0]` (Terraform's one-element blocks). */
export function index(value: unknown, key: string | number): unknown {
  if (Array.isArray(value)) return typeof key === "number" ? value[key] : (value[0] as Record<string, unknown>)?.[key];
  if (value && typeof value === "object") {
    if (typeof key === "number" && key === 0 && !(0 in (value as object))) return value;
    return (value as Record<string, unknown>)[String(key)];
  }
  // A computed stand-in (`<stack:type.name.attr>`) indexes into a longer stand-in.
  if (typeof value === "string" && value.startsWith("<") && value.endsWith(">")) return `${value.slice(0, -1)}.${key}>`;
  throw new Error(`cannot index ${JSON.stringify(value)} with ${key}`);
}

function evalTemplate(parts: TemplatePart[], resolve: ReferenceResolver): unknown {
  if (parts.length === 1 && "expr" in parts[0]) return evaluate(parts[0].expr, resolve);
  return parts.map((p) => ("literal" in p ? p.literal : stringify(evaluate(p.expr, resolve)))).join("");
}

function stringify(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** Evaluates one expression (the inside of `${...}`). */
export function evaluate(expression: string, resolve: ReferenceResolver): unknown {
  return new Parser(tokenize(expression), resolve, expression).parseAll();
}

/** Evaluates a JSON string value as Terraform does: a template, or one `${...}` giving any value. */
export function evaluateTemplate(text: string, resolve: ReferenceResolver): unknown {
  if (!text.includes("${")) return text.replace(/\$\$\{/g, "${");
  return evalTemplate(templateParts(text), resolve);
}
