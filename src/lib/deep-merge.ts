/**
 * Keys that are alternative forms of one setting: a layer that sets one drops the others
 * from the layers below (a subnet tier is `{ prefixLength }` or `{ cidrs }`, never both).
 */
const EXCLUSIVE_KEYS: readonly (readonly string[])[] = [["prefixLength", "cidrs"]];

/**
 * Merges configuration layers, later layers winning. Plain objects merge key by key,
 * except that setting one of a set of alternative keys ({@link EXCLUSIVE_KEYS}) drops the
 * others; arrays and every other value replace what was there. `undefined` leaves a value
 * as it was; `null` is a value (e.g. "no isolated subnets").
 */
export function deepMerge<T>(...layers: readonly (T | undefined)[]): T {
  let result: unknown = {};
  for (const layer of layers) {
    if (layer !== undefined) result = mergeTwo(result, layer);
  }
  return result as T;
}

function mergeTwo(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const group of EXCLUSIVE_KEYS) {
    const chosen = group.filter((k) => over[k] !== undefined);
    if (chosen.length > 0) for (const other of group) if (!chosen.includes(other)) delete out[other];
  }
  for (const [key, value] of Object.entries(over)) {
    if (value !== undefined) out[key] = mergeTwo(base[key], value);
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
