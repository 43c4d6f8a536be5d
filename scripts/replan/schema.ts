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
 *
 * `terraform providers schema -json` prints only the providers the configuration uses: the
 * built-in `terraform` provider (`terraform_remote_state`) is absent from the schema of a
 * directory that reads no remote state, with the same lock file. So a cached schema that lacks
 * one of the `needed` providers is read again, and the cache keeps the union.
 * @param lockFile the text of the directory's `.terraform.lock.hcl`
 * @param read runs `terraform providers schema -json` and returns its stdout
 * @param needed the providers (`provider_name`s) the caller will look up
 */
export function providerSchemas(lockFile: string, read: () => string, needed: readonly string[] = []): Schemas {
  const versions = [...lockFile.matchAll(/provider "([^"]+)" \{\s*version\s*=\s*"([^"]+)"/g)].map((m) => `${m[1]}@${m[2]}`).sort();
  const key = createHash("sha1").update(versions.join("\n")).digest("hex").slice(0, 16);
  const complete = (s: Schemas) => needed.every((p) => s.provider_schemas[p] !== undefined);
  const cached = inMemory.get(key);
  if (cached && complete(cached)) return cached;
  const file = join(CACHE_DIR, `schema-${key}.json`);
  let schemas: Schemas | undefined = cached ?? (existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Schemas) : undefined);
  if (!schemas || !complete(schemas)) {
    const fresh = JSON.parse(read()) as Schemas;
    schemas = { ...fresh, provider_schemas: { ...(schemas?.provider_schemas ?? {}), ...fresh.provider_schemas } };
    mkdirSync(CACHE_DIR, { recursive: true });
    // Written under a temporary name, then renamed: parallel jest workers never read half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(schemas));
    renameSync(tmp, file);
  }
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
