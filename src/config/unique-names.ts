import { ConfiguredName } from "../constructs/module";
import { sameNamespace, uniqueWithin } from "../lib/name-scope";
import { ConfigError } from "../lib/errors";
import { AnyModule, MODULES, modulesSetIn } from "./modules";
import { Naming } from "../lib/naming";
import type { SystemConfig } from "./system-config";

/**
 * The names a system's configuration gives resources that AWS holds unique: those each module
 * of `modules` declares (ModuleDefinition.names: buckets, tables, repositories, secrets, target
 * groups, the state bucket and lock table, ...), keyed under the module's key: a name given, or
 * the name derived from the key (`<project>-<environment>-...`, which a given name may equal).
 */
export function configuredNames(config: SystemConfig, modules: readonly AnyModule[] = MODULES): ConfiguredName[] {
  const naming = new Naming(config.project, config.environment, config.accountId);
  return modulesSetIn(config, modules).flatMap(({ module, settings }) => (module.names?.(settings, naming) ?? []).map((n) => ({ ...n, key: `${module.key}.${n.key}` })));
}

/** The account a system is applied to, for comparing names: unknown when `accountId` is not set. */
function accountOf(config: SystemConfig): string | undefined {
  return config.accountId;
}

/**
 * Fails when two environments (of one system or of two) would create resources of one kind
 * with one name where AWS holds names unique: S3 buckets anywhere; other names when they
 * share a region and may share an account (the same `accountId`, or one of them without
 * `accountId`, which can be any account). Every collision is reported, naming both keys.
 */
export function checkUniqueNames(configs: readonly SystemConfig[], modules: readonly AnyModule[] = MODULES): ConfigError[] {
  const errors: ConfigError[] = [];
  const seen: { config: SystemConfig; entry: ConfiguredName }[] = [];
  for (const config of configs) {
    for (const entry of configuredNames(config, modules)) {
      const clash = seen.find(
        (s) =>
          s.entry.kind === entry.kind &&
          s.entry.name === entry.name &&
          sameNamespace(entry.scope, { account: accountOf(s.config), region: s.config.region }, { account: accountOf(config), region: config.region }),
      );
      if (clash) {
        const other = `${clash.config.project}/${clash.config.environment}: ${clash.entry.key}`;
        const account = accountOf(config) ?? accountOf(clash.config) ?? "an account not given (accountId is not set)";
        const anyAccount = accountOf(config) === undefined || accountOf(clash.config) === undefined ? " (an environment without accountId may be any account)" : "";
        const place = { global: "", account: `, and both are in ${account}${anyAccount}`, "account-region": `, and both are in ${config.region} of ${account}${anyAccount}` }[entry.scope];
        const where = `${uniqueWithin(entry.scope, entry.kind)}${place}`;
        errors.push(
          new ConfigError(
            entry.key,
            entry.name,
            `is also the ${entry.kind} of ${other}: ${where}, so the second apply would fail on the existing one`,
            entry.scope === "global"
              ? "give one of them another name (a derived name carries the account id once accountId is set)"
              : "give each environment its own accountId (separate accounts), or give one of them another name",
            `${config.project}/${config.environment}`,
          ),
        );
      } else {
        seen.push({ config, entry });
      }
    }
  }
  return errors;
}
