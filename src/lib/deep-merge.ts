/**
 * Merges configuration layers, later layers winning. Plain objects merge key by key;
 * arrays and every other value replace what was there. `undefined` leaves a value as it
 * was; `null` is a value (e.g. "no isolated subnets").
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
  for (const [key, value] of Object.entries(over)) {
    if (value !== undefined) out[key] = mergeTwo(base[key], value);
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
