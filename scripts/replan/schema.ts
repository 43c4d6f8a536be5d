import { createHash } from "crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "fs";
import { join } from "path";

/**
 * The provider schema (`terraform providers schema -json`), as far as building a state needs
 * it: per resource type, its `schema_version` and the type of every attribute and block.
 * The schema of hashicorp/aws is about 13 MB and takes seconds to print, so it is cached on
 * disk once per set of provider versions (the key is the stack's `.terraform.lock.hcl`).
 */

/** A cty type as terraform prints it: "string", ["list", T], ["object", {..}], ... */
export type CtyType = string | [string, unknown] | [string, unknown, unknown];

export interface SchemaAttribute {
  readonly type?: CtyType;
  readonly nested_type?: { attributes: Record<string, SchemaAttribute>; nesting_mode: string };
  readonly computed?: boolean;
  readonly optional?: boolean;
  readonly required?: boolean;
  readonly sensitive?: boolean;
  readonly write_only?: boolean;
}

export interface SchemaBlock {
  readonly attributes?: Record<string, SchemaAttribute>;
  readonly block_types?: Record<string, { nesting_mode: string; block: SchemaBlock; min_items?: number; max_items?: number }>;
}

export interface ResourceSchema {
  readonly version: number;
  readonly block: SchemaBlock;
}

interface ProviderSchema {
  readonly resource_schemas?: Record<string, ResourceSchema>;
  readonly data_source_schemas?: Record<string, ResourceSchema>;
}

export interface Schemas {
  readonly provider_schemas: Record<string, ProviderSchema>;
}

const CACHE_DIR = process.env.REPLAN_CACHE_DIR ?? join(__dirname, "..", "..", "node_modules", ".cache", "replan");
const inMemory = new Map<string, Schemas>();

/**
 * The provider schemas of an initialized terraform directory, from the cache when the same
 * provider versions were read before (in this process or on disk).
 * @param lockFile the text of the directory's `.terraform.lock.hcl`
 * @param read runs `terraform providers schema -json` and returns its stdout
 */
export function providerSchemas(lockFile: string, read: () => string): Schemas {
  const versions = [...lockFile.matchAll(/provider "([^"]+)" \{\s*version\s*=\s*"([^"]+)"/g)].map((m) => `${m[1]}@${m[2]}`).sort();
  const key = createHash("sha1").update(versions.join("\n")).digest("hex").slice(0, 16);
  const cached = inMemory.get(key);
  if (cached) return cached;
  const file = join(CACHE_DIR, `schema-${key}.json`);
  let text: string;
  if (existsSync(file)) {
    text = readFileSync(file, "utf8");
  } else {
    text = read();
    mkdirSync(CACHE_DIR, { recursive: true });
    // Written under a temporary name, then renamed: parallel jest workers never read half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  }
  const schemas = JSON.parse(text) as Schemas;
  inMemory.set(key, schemas);
  return schemas;
}

/** The schema of one resource (mode `managed`) or data source (mode `data`) type. */
export function resourceSchema(schemas: Schemas, providerName: string, mode: string, type: string): ResourceSchema | undefined {
  const provider = schemas.provider_schemas[providerName];
  return mode === "data" ? provider?.data_source_schemas?.[type] : provider?.resource_schemas?.[type];
}

/** The object type of a block, as a cty type, so that nested blocks and attributes are walked alike. */
export function blockType(block: SchemaBlock): CtyType {
  const attrs: Record<string, unknown> = {};
  for (const [name, attr] of Object.entries(block.attributes ?? {})) attrs[name] = attributeType(attr);
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const inner = blockType(nested.block);
    attrs[name] = nested.nesting_mode === "single" || nested.nesting_mode === "group" ? inner : [nested.nesting_mode === "set" ? "set" : "list", inner];
  }
  return ["object", attrs];
}

function attributeType(attr: SchemaAttribute): CtyType {
  if (attr.type) return attr.type;
  if (!attr.nested_type) return "dynamic";
  const inner: CtyType = ["object", Object.fromEntries(Object.entries(attr.nested_type.attributes).map(([n, a]) => [n, attributeType(a)]))];
  switch (attr.nested_type.nesting_mode) {
    case "single":
      return inner;
    case "map":
      return ["map", inner];
    case "set":
      return ["set", inner];
    default:
      return ["list", inner];
  }
}

/** The names of a block's write-only attributes (kept null in state: terraform never stores them). */
export function writeOnlyAttributes(block: SchemaBlock): string[] {
  return Object.entries(block.attributes ?? {})
    .filter(([, a]) => a.write_only)
    .map(([n]) => n);
}
