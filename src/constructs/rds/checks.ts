import { longestName, Naming } from "../../lib/naming";
import { Problems } from "../../lib/errors";
import { validateDatabaseSettings } from "./database";
import { RdsConfig } from "./settings";

/**
 * The database settings (as the construct checks them, with the subnets it would get: one per
 * AZ), and the longest instance name they derive, which names `project` when it is too long.
 * Other keys are relative to the settings.
 */
export function checkRdsSettings(rds: RdsConfig, azs: readonly string[], naming: Naming): void {
  const problems = new Problems();
  problems.check(() => validateDatabaseSettings(rds, { subnetIds: azs }));
  problems.check(() => naming.name("dbInstance", rds.engine, ...longestName(Object.keys(rds.readReplicas))));
  problems.throwIfAny();
}
