/**
 * The settings reference and the JSON Schema of the `INFRA_CONFIG` file, generated from the
 * configuration's zod schemas (each module's src/constructs/<module>/settings.ts, composed by
 * src/config/system-config.ts), which hold each setting's type, range, default and
 * description once. `npm run settings` writes both; a unit test fails when either is stale.
 */
import { z } from "zod";
import { ENVIRONMENT_NAMES } from "../../src/config/environments";
import { SystemConfigSchema } from "../../src/config/system-config";

export const SETTINGS_DOC = "docs/settings.md";
export const SETTINGS_SCHEMA = "schema/infra-config.schema.json";

type JsonSchema = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  required?: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  [key: string]: unknown;
};

/** Keys the layers set themselves: a user's override never names them. */
const SET_BY_LAYERS = ["project", "environment"];

/** One system's settings as the schema reads them: every default shown, nothing required (an override is a partial layer). */
function settingsSchema(): JsonSchema {
  const schema = z.toJSONSchema(SystemConfigSchema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  delete schema.$schema;
  for (const key of SET_BY_LAYERS) delete schema.properties?.[key];
  return withoutRequired(schema);
}

/** Every `required` list dropped: an override layer is merged over the preset, so any key may be left out. */
function withoutRequired(node: unknown): JsonSchema {
  if (Array.isArray(node)) return node.map(withoutRequired) as unknown as JsonSchema;
  if (node === null || typeof node !== "object") return node as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "required") continue;
    // Inside `default` and `const` values are data, not schemas.
    out[key] = key === "default" || key === "const" || key === "enum" ? value : withoutRequired(value);
  }
  return out;
}

/** The JSON Schema of an `INFRA_CONFIG` file: settings by system, then by `all` or environment. */
export function infraConfigJsonSchema(systems: readonly string[]): JsonSchema {
  const layer = { $ref: "#/$defs/settings" };
  const bySystem: JsonSchema = {
    type: "object",
    description: "Settings layered over the system's preset: `all` applies to every environment, before the environment's own entry.",
    properties: Object.fromEntries(["all", ...ENVIRONMENT_NAMES].map((scope) => [scope, layer])),
    additionalProperties: false,
  };
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "INFRA_CONFIG: overrides of the systems' presets",
    description: `Generated from the settings schemas (src/constructs/<module>/settings.ts, src/config/system-config.ts) by \`npm run settings\`; the reference is ${SETTINGS_DOC}.`,
    type: "object",
    properties: {
      $schema: { type: "string", description: "This schema's path, for editors (`./schema/infra-config.schema.json`)." },
      ...Object.fromEntries([...systems].sort().map((system) => [system, bySystem])),
    },
    additionalProperties: false,
    $defs: { settings: settingsSchema() },
  };
}

/** One row of the reference: a dotted key, its type, its default and its description. */
interface Row {
  readonly key: string;
  readonly type: string;
  readonly default: string;
  readonly description: string;
}

/** The settings reference, in markdown: one table per top-level setting. */
export function settingsMarkdown(): string {
  const root = settingsSchema();
  const defs = root.$defs ?? {};
  const lines = [
    "# Settings reference",
    "",
    "<!-- Generated from the settings schemas (src/constructs/<module>/settings.ts, src/config/system-config.ts) by `npm run settings`; edit the schemas there, not this file. -->",
    "",
    "Every setting of a system, as `INFRA_CONFIG` overrides it (see the README's *Configuration*).",
    "Keys are dotted paths; `<name>` is a key you choose (a service, a bucket); `[]` is a list item.",
    "A default that depends on the environment or on other settings is described in words.",
    `Editors complete and check an \`INFRA_CONFIG\` file against [${SETTINGS_SCHEMA}](../${SETTINGS_SCHEMA}):`,
    'add `"$schema": "./schema/infra-config.schema.json"` at its top, or map the file in your editor.',
    "",
  ];
  const entries = Object.entries(root.properties ?? {});
  const scalars = entries.filter(([, schema]) => !isStructured(schema, defs));
  lines.push("## Top level", "", ...table(scalars.flatMap(([key, schema]) => rowsOf(key, schema, defs, 0))));
  for (const [key, schema] of entries.filter(([, schema]) => isStructured(schema, defs))) {
    const [root, ...rows] = rowsOf(key, schema, defs, 0);
    lines.push(`## \`${key}\``, "", `${root.type}${root.default ? `, default ${root.default}` : ""}. ${escapeCell(root.description)}`.trimEnd(), "", ...table(rows));
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function table(rows: readonly Row[]): string[] {
  return ["| key | type | default | description |", "| --- | --- | --- | --- |", ...rows.map((r) => `| \`${r.key}\` | ${r.type} | ${r.default} | ${escapeCell(r.description)} |`), ""];
}

function rowsOf(key: string, schema: JsonSchema, defs: Record<string, JsonSchema>, depth: number): Row[] {
  const node = resolve(schema, defs);
  const object = objectOf(node, defs);
  const rows: Row[] = [{ key, type: typeOf(node, defs), default: defaultOf(node), description: node.description ?? "" }];
  if (depth > 12) return rows;
  const variants = objectVariantsOf(node, defs);
  if (variants.length > 1) {
    for (const variant of variants) {
      const label = discriminatorOf(variant);
      for (const [child, childSchema] of Object.entries(variant.properties ?? {})) {
        rows.push(...rowsOf(`${key}.${child}`, childSchema, defs, depth + 1).map((r) => (label ? { ...r, description: `(${label}) ${r.description}`.trimEnd() } : r)));
      }
    }
  } else if (object?.properties) {
    for (const [child, childSchema] of Object.entries(object.properties)) rows.push(...rowsOf(`${key}.${child}`, childSchema, defs, depth + 1));
  } else if (object && typeof object.additionalProperties === "object" && isStructured(object.additionalProperties, defs)) {
    rows.push(...rowsOf(`${key}.<name>`, object.additionalProperties, defs, depth + 1).slice(1));
  } else {
    const items = arrayItemsOf(node, defs);
    if (items && isStructured(items, defs)) rows.push(...rowsOf(`${key}[]`, items, defs, depth + 1).slice(1));
  }
  return rows;
}

/** The object a schema describes, through `null` alternatives (`edge: null` removes a preset's edge). */
function objectOf(node: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema | undefined {
  if (node.type === "object") return node;
  const alternatives = (node.anyOf ?? node.oneOf ?? []).map((a) => resolve(a, defs)).filter((a) => a.type !== "null");
  return alternatives.length === 1 && alternatives[0].type === "object" ? alternatives[0] : undefined;
}

/** The object alternatives of a union (a container app or a script app), when there are several. */
function objectVariantsOf(node: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema[] {
  return (node.anyOf ?? node.oneOf ?? []).map((a) => resolve(a, defs)).filter((a) => a.type === "object" && a.properties);
}

/** The `key = value` a union's variant is told apart by (its property with a constant value). */
function discriminatorOf(variant: JsonSchema): string | undefined {
  const entry = Object.entries(variant.properties ?? {}).find(([, p]) => p.const !== undefined || p.enum?.length === 1);
  return entry ? `${entry[0]} = ${JSON.stringify(entry[1].const ?? entry[1].enum![0])}` : undefined;
}

function arrayItemsOf(node: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema | undefined {
  if (node.type === "array" && node.items) return node.items;
  const alternatives = (node.anyOf ?? node.oneOf ?? []).map((a) => resolve(a, defs)).filter((a) => a.type !== "null");
  return alternatives.length === 1 && alternatives[0].type === "array" ? alternatives[0].items : undefined;
}

function isStructured(schema: JsonSchema, defs: Record<string, JsonSchema>): boolean {
  const node = resolve(schema, defs);
  const object = objectOf(node, defs);
  if (object?.properties || objectVariantsOf(node, defs).length > 1) return true;
  if (object && typeof object.additionalProperties === "object") return isStructured(object.additionalProperties, defs);
  const items = arrayItemsOf(node, defs);
  return items !== undefined && isStructured(items, defs);
}

function resolve(schema: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema {
  if (!schema.$ref) return schema;
  const target = defs[schema.$ref.replace("#/$defs/", "")] ?? {};
  const { $ref: _ref, ...rest } = schema;
  return { ...target, ...rest };
}

function typeOf(node: JsonSchema, defs: Record<string, JsonSchema>): string {
  if (node.enum) return node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(", ");
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives) return [...new Set(alternatives.map((a) => typeOf(resolve(a, defs), defs)))].join(" or ");
  const type = Array.isArray(node.type) ? node.type.join(" or ") : (node.type ?? "any");
  if (type === "integer" || type === "number") {
    const min = node.minimum ?? (node.exclusiveMinimum !== undefined ? `>${node.exclusiveMinimum}` : undefined);
    const range = [min !== undefined && Number(min) > -1e15 ? min : undefined, node.maximum !== undefined && node.maximum < 1e15 ? node.maximum : undefined];
    return range.some((r) => r !== undefined) ? `${type} (${range[0] ?? ""}-${range[1] ?? ""})` : type;
  }
  if (type === "array") return node.items ? `list of ${typeOf(resolve(node.items, defs), defs)}` : "list";
  if (type === "object" && !node.properties && typeof node.additionalProperties === "object") return `map of ${typeOf(resolve(node.additionalProperties, defs), defs)}`;
  return type;
}

function defaultOf(node: JsonSchema): string {
  if (node.default === undefined) return "";
  const text = JSON.stringify(node.default);
  return text.length > 60 ? "see description" : `\`${text}\``;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
