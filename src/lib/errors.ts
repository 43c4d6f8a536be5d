/**
 * Errors raised for invalid configuration. Every error names the key, the value
 * that was given and the fix, so that a failed synth tells the user what to change
 * without reading a stack trace.
 */
export class ConfigError extends Error {
  /**
   * Other settings the problem reads, keyed like `key`: where one of them is itself invalid (and
   * so was left at its default for the checks), the problem only follows from that one and is
   * not reported (src/config/resolve.ts).
   */
  public readonly reads: readonly string[] = [];

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
    return new ConfigError(this.key, this.value, this.problem, this.fix, scope).reading(...this.reads);
  }

  /** The same error, with its key (and those it reads) nested under `parent` (e.g. `network`). */
  public under(parent: string): ConfigError {
    const nest = (key: string) => (key ? `${parent}.${key}` : parent);
    return new ConfigError(nest(this.key), this.value, this.problem, this.fix, this.scope).reading(...this.reads.map(nest));
  }

  /** The same error, following from the settings at `keys` as well as its own (see {@link reads}). */
  public reading(...keys: string[]): ConfigError {
    if (keys.length === 0) return this;
    const error = new ConfigError(this.key, this.value, this.problem, this.fix, this.scope);
    (error as { reads: readonly string[] }).reads = [...this.reads, ...keys];
    return error;
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

/**
 * Runs `fn`; a ConfigError it throws is re-thrown with its key nested under `parent`, and
 * so is every error of a ConfigErrors.
 */
export function nested<T>(parent: string, fn: () => T): T {
  return rekeyed(fn, (e) => e.under(parent));
}

/**
 * Like nested(), for a section whose checks also derive resource names: an error keyed
 * `project` (a derived name too long, see Naming.name) keeps naming `project`.
 */
export function section<T>(parent: string, fn: () => T): T {
  return rekeyed(fn, (e) => (e.key === "project" ? e : e.under(parent)));
}

/** Runs `fn`; the ConfigError, or every error of the ConfigErrors, it throws is re-thrown changed by `rekey`. */
export function rekeyed<T>(fn: () => T, rekey: (e: ConfigError) => ConfigError): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConfigError) throw rekey(e);
    if (e instanceof ConfigErrors) throw new ConfigErrors(e.errors.map(rekey));
    throw e;
  }
}

/**
 * Collects the problems of independent checks, so that each check runs even when another
 * fails and the user sees every problem in one synth:
 *
 * ```ts
 * const problems = new Problems();
 * const parsed = problems.check(() => parse(a));      // false when it failed
 * if (parsed) problems.check(() => checkRange(a));     // depends on it: skipped, no follow-on noise
 * problems.check(() => checkOther(b));                 // independent: always runs
 * problems.throwIfAny();
 * ```
 *
 * A key already reported is not reported again: a second complaint about a value the user
 * has to change anyway is noise. An error that is not a configuration error (a check that
 * breaks on a value already reported) is dropped when something was reported, and thrown
 * otherwise.
 */
export class Problems {
  private readonly found: ConfigError[] = [];

  /** The problems found so far. */
  public get errors(): readonly ConfigError[] {
    return this.found;
  }

  /** Runs `fn`, recording the ConfigError or ConfigErrors it throws. Returns whether it passed. */
  public check(fn: () => void): boolean {
    return this.value(() => {
      fn();
      return true;
    }) ?? false;
  }

  /** Runs `fn` and returns its value, or undefined when it threw a ConfigError or ConfigErrors (recorded). */
  public value<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (e instanceof ConfigErrors) e.errors.forEach((error) => this.add(error));
      else if (e instanceof ConfigError) this.add(e);
      else if (this.found.length === 0) throw e;
      return undefined;
    }
  }

  /** Records `error`, unless its key was already reported. */
  public add(error: ConfigError): void {
    if (!this.has(error.key, error.scope)) this.found.push(error);
  }

  /** Whether a problem with `key` (in `scope`) was reported. */
  public has(key: string, scope?: string): boolean {
    return this.found.some((e) => e.key === key && e.scope === scope);
  }

  /** Throws what was found: the ConfigError when there is one, ConfigErrors when there are several. */
  public throwIfAny(): void {
    if (this.found.length === 1) throw this.found[0];
    if (this.found.length > 1) throw new ConfigErrors([...this.found]);
  }
}
