/**
 * Errors raised for invalid configuration. Every error names the key, the value
 * that was given and the fix, so that a failed synth tells the user what to change
 * without reading a stack trace.
 */
export class ConfigError extends Error {
  /**
   * @param key dotted path of the offending setting, e.g. `network.azs`
   * @param value the value that was given
   * @param problem what is wrong with it
   * @param fix what to do instead
   * @param scope where the setting lives, e.g. `muejam/prod`
   */
  constructor(
    public readonly key: string,
    public readonly value: unknown,
    public readonly problem: string,
    public readonly fix: string,
    public readonly scope?: string,
  ) {
    super(formatIssue(scope, key, value, problem, fix));
    this.name = "ConfigError";
  }

  /** The same error, located in `scope` (e.g. the system and environment). */
  public inScope(scope: string): ConfigError {
    return new ConfigError(this.key, this.value, this.problem, this.fix, scope);
  }

  /** The same error, with its key nested under `parent` (e.g. `network`). */
  public under(parent: string): ConfigError {
    const key = this.key ? `${parent}.${this.key}` : parent;
    return new ConfigError(key, this.value, this.problem, this.fix, this.scope);
  }
}

/** Several configuration errors, reported together. */
export class ConfigErrors extends Error {
  constructor(public readonly errors: readonly ConfigError[]) {
    super(errors.map((e) => e.message).join("\n\n"));
    this.name = "ConfigErrors";
  }
}

/** Renders a config value for an error message: short, single-line JSON. */
export function renderValue(value: unknown): string {
  if (value === undefined) return "(not set)";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function formatIssue(scope: string | undefined, key: string, value: unknown, problem: string, fix: string): string {
  const where = scope ? `${scope}: ` : "";
  return `${where}${key || "(root)"} = ${renderValue(value)}\n  Problem: ${problem}\n  Fix: ${fix}`;
}

/** Runs `fn`; a ConfigError it throws is re-thrown with its key nested under `parent`. */
export function nested<T>(parent: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConfigError) throw e.under(parent);
    throw e;
  }
}
