import { distance } from "fastest-levenshtein";
import { z } from "zod";
import { ConfigError } from "../lib/errors";

/**
 * Parses `input` with `schema`; every problem zod finds becomes a ConfigError that names
 * the key, the value given and a fix.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { value?: z.output<S>; errors: ConfigError[]; invalidPaths: PropertyKey[][] } {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return { value: result.data, errors: [], invalidPaths: [] };
  return {
    errors: result.error.issues.flatMap((issue) => toConfigErrors(schema, input, issue)),
    invalidPaths: result.error.issues.flatMap((issue) => invalidPaths(issue)),
  };
}

/**
 * The settings an issue makes invalid, as paths to delete from the input so that it parses
 * (their defaults take their place): an unknown key itself, or the setting that holds a bad
 * value (the whole list, for a bad element of a list).
 */
function invalidPaths(issue: z.core.$ZodIssue): PropertyKey[][] {
  if (issue.code === "unrecognized_keys") return issue.keys.map((key) => [...issue.path, key]);
  const firstIndex = issue.path.findIndex((part) => typeof part === "number");
  return [firstIndex === -1 ? [...issue.path] : issue.path.slice(0, firstIndex)];
}

/** The key text of a path, as error messages name it (`network.azs[2]`). */
export function keyOfPath(path: readonly PropertyKey[]): string {
  return formatPath(path);
}

function toConfigErrors(schema: z.ZodType, root: unknown, issue: z.core.$ZodIssue): ConfigError[] {
  const key = formatPath(issue.path);
  const value = "input" in issue ? issue.input : valueAt(root, issue.path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeys(schema, issue.path, root);
      return issue.keys.map((unknownKey) => {
        const near = known.find((k) => closeEnough(k, unknownKey));
        const fix = near ? `did you mean "${near}"? Known keys: ${known.join(", ")}` : known.length > 0 ? `remove it; known keys here are ${known.join(", ")}` : "remove it";
        return new ConfigError(joinKey(key, unknownKey), valueAt(root, [...issue.path, unknownKey]), "is not a known setting", fix);
      });
    }
    case "invalid_type":
      return [
        new ConfigError(
          key,
          value,
          value === undefined ? "is required" : `must be ${article(issue.expected)}`,
          value === undefined ? `set ${key || "it"}` : `give ${article(issue.expected)}`,
        ),
      ];
    case "invalid_value":
      return [new ConfigError(key, value, "is not an accepted value", `use one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`)];
    case "too_small":
    case "too_big":
    case "invalid_format":
      return [new ConfigError(key, value, issue.message, fixFor(issue))];
    case "custom":
      // A check across keys (a schema's refine) names its own fix in `params.fix`.
      return [new ConfigError(key, value, issue.message, typeof issue.params?.fix === "string" ? issue.params.fix : `see ${key || "the settings"} in docs/settings.md`)];
    default:
      return [new ConfigError(key, value, issue.message, `see ${key || "the settings"} in docs/settings.md`)];
  }
}

function fixFor(issue: z.core.$ZodIssue): string {
  if (issue.code === "too_small") return `use at least ${String(issue.minimum)}`;
  if (issue.code === "too_big") return `use at most ${String(issue.maximum)}`;
  return "correct the value's format";
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => (typeof part === "number" ? `${acc}[${part}]` : joinKey(acc, String(part))), "");
}

function joinKey(base: string, part: string): string {
  return base ? `${base}.${part}` : part;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/** The keys an object schema accepts at `path`, for "did you mean" hints. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[], root: unknown): string[] {
  let current: z.core.$ZodType | undefined = schema;
  for (let depth = 0; depth <= path.length; depth++) {
    const value = valueAt(root, path.slice(0, depth));
    if (depth === path.length) return keysOf(current, value);
    current = unwrapped(current, value);
    if (!current) return [];
    const def = current._zod.def as { type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType; valueType?: z.core.$ZodType };
    const part = path[depth];
    if (def.type === "object" && def.shape) current = def.shape[String(part)];
    else if (def.type === "array") current = def.element;
    else if (def.type === "record") current = def.valueType;
    else return [];
  }
  return [];
}

/** The keys an object schema takes; of a union of objects that no discriminator decides, every option's. */
function keysOf(schema: z.core.$ZodType | undefined, value: unknown): string[] {
  const def = unwrapped(schema, value)?._zod.def as { shape?: Record<string, z.core.$ZodType>; options?: z.core.$ZodType[] } | undefined;
  if (def?.shape) return Object.keys(def.shape);
  return [...new Set((def?.options ?? []).flatMap((option) => keysOf(option, value)))];
}

/**
 * The schema `value` is checked against, under defaults, optionals, nullables and pipes: of a
 * discriminated union (a service's `app`, by its `type`), the option `value`'s discriminator
 * selects; another union is returned as it is (no one set of keys).
 */
function unwrapped(schema: z.core.$ZodType | undefined, value: unknown): z.core.$ZodType | undefined {
  let current = schema;
  for (;;) {
    const def = current?._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType; options?: z.core.$ZodType[]; discriminator?: string } | undefined;
    if (!def) return undefined;
    if (def.innerType) current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else if (def.type === "union" && def.options && def.discriminator) {
      const tag = (value as Record<string, unknown> | undefined)?.[def.discriminator];
      current = def.options.find((option) => {
        const literal = (option._zod.def as { shape?: Record<string, z.core.$ZodType> }).shape?.[def.discriminator!]?._zod.def as { values?: unknown[] } | undefined;
        return literal?.values?.includes(tag);
      });
    } else return current;
  }
}

function closeEnough(a: string, b: string): boolean {
  return distance(a.toLowerCase(), b.toLowerCase()) <= 2;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}
