import { ConfigError } from "../../lib/errors";

/** The RDS engines this module builds. */
export const RDS_ENGINES = ["postgres", "mysql"] as const;
export type RdsEngine = (typeof RDS_ENGINES)[number];

/** What the module needs to know about one major version of an engine. */
export interface RdsEngineVersionInfo {
  /** The parameter group family, e.g. `postgres15`. */
  readonly family: string;
  /** A note shown by the docs (support dates and the like). */
  readonly note?: string;
}

/**
 * The major versions RDS offers for new instances, per engine, as of the pinned provider
 * (hashicorp/aws 5.100.0) and AWS's release calendars in late 2026.
 *
 * Versions are **major** versions on purpose: `auto_minor_version_upgrade` is always on,
 * so RDS moves an instance to newer minors on its own, and RDS retires old minors (a
 * pinned minor such as the ODE document's `15.4` can no longer be created). The aws
 * provider accepts a version prefix (`engine_version = "15"`), picks RDS's default
 * minor at create, reports the running one in `engine_version_actual`, and shows no
 * diff when RDS upgrades the minor.
 *
 * Adding a major version is a one-line change here.
 */
export const RDS_ENGINE_VERSIONS: Readonly<Record<RdsEngine, Readonly<Record<string, RdsEngineVersionInfo>>>> = {
  postgres: {
    "14": { family: "postgres14", note: "RDS end of standard support: 2027-02-28 (src/lib/support-calendar.ts)" },
    "15": { family: "postgres15" },
    "16": { family: "postgres16" },
    "17": { family: "postgres17" },
  },
  mysql: {
    "8.0": { family: "mysql8.0", note: "past RDS end of standard support (2026-07-31): synth refuses it (src/lib/support-calendar.ts)" },
    "8.4": { family: "mysql8.4" },
  },
};

/** A log the engine can publish to CloudWatch Logs, and the parameter that must be "1" for the engine to write it. */
export interface RdsEngineLog {
  readonly name: string;
  readonly parameter?: string;
}

/**
 * The parameter that forces TLS: its value when on, and its default in a major version (the
 * value it has unless set; undefined where not known). Off is "0".
 */
export interface RdsTlsParameter {
  readonly name: string;
  readonly value: string;
  readonly defaultIn: (majorVersion: string) => string | undefined;
}

/** Per-engine facts: ports, the parameter that forces TLS, the logs CloudWatch can receive. */
export const RDS_ENGINE_TRAITS: Readonly<Record<RdsEngine, { readonly port: number; readonly tlsParameter: RdsTlsParameter; readonly logs: readonly RdsEngineLog[] }>> = {
  // rds.force_ssl is on by default from PostgreSQL 15, off before (RDS User Guide, PostgreSQL SSL).
  postgres: { port: 5432, tlsParameter: { name: "rds.force_ssl", value: "1", defaultIn: (v) => (Number(v) >= 15 ? "1" : "0") }, logs: [{ name: "postgresql" }, { name: "upgrade" }] },
  // MySQL writes the slow and general logs only when their parameters are 1 (both default to 0).
  mysql: {
    port: 3306,
    // Off by default in MySQL 8.4 and lower (RDS User Guide, requiring SSL/TLS for MySQL).
    tlsParameter: { name: "require_secure_transport", value: "1", defaultIn: (v) => (["8.0", "8.4"].includes(v) ? "0" : undefined) },
    logs: [{ name: "error" }, { name: "slowquery", parameter: "slow_query_log" }, { name: "general", parameter: "general_log" }],
  },
};

/**
 * The logs an instance with `parameters` writes, to export: a log its parameter leaves off
 * would only be an empty log group.
 */
export function rdsLogExports(engine: RdsEngine, parameters: Readonly<Record<string, { readonly value: string }>>): string[] {
  return RDS_ENGINE_TRAITS[engine].logs.filter((log) => log.parameter === undefined || parameters[log.parameter]?.value === "1").map((log) => log.name);
}

/**
 * Checks `version` against the typed list for `engine` and returns its facts. Fails with
 * a ConfigError naming `key` for an unknown engine, an unknown major version, or a pinned
 * minor version.
 */
export function rdsEngineVersion(engine: string, version: string, key = "engineVersion"): RdsEngineVersionInfo {
  if (!(RDS_ENGINES as readonly string[]).includes(engine)) {
    throw new ConfigError("engine", engine, "is not a supported RDS engine", `use one of ${RDS_ENGINES.join(", ")}`);
  }
  const versions = RDS_ENGINE_VERSIONS[engine as RdsEngine];
  const known = Object.keys(versions);
  const info = versions[version];
  if (info) return info;
  const major = known.find((v) => version.startsWith(`${v}.`));
  if (major) {
    throw new ConfigError(
      key,
      version,
      `pins the ${engine} minor version ${version}; RDS retires minor versions (new instances of retired ones cannot be created) and auto minor version upgrades move the instance past any pin`,
      `give the major version "${major}"; RDS picks its current minor, and engine_version_actual reports it`,
    );
  }
  throw new ConfigError(key, version, `is not a supported ${engine} major version`, `use one of ${known.map((v) => `"${v}"`).join(", ")}`);
}

/**
 * Instance classes for which RDS offers no Performance Insights on MySQL (AWS's support
 * table): the micro and small burstable classes.
 */
export function performanceInsightsSupported(engine: RdsEngine, instanceClass: string): boolean {
  if (engine !== "mysql") return true;
  return !/^db\.(t2|t3|t4g)\.(micro|small)$/.test(instanceClass);
}
