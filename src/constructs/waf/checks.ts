import { ConfigError } from "../../lib/errors";
import { ManagedRuleGroup, WafConfig } from "./settings";

/**
 * The web ACL's settings across keys: rules counted instead of blocked belong to rule groups
 * the ACL uses. Keys are relative to the settings; the web ACL checks the same on its props.
 */
export function checkWafSettings(waf: Pick<WafConfig, "managedRuleGroups" | "countOnlyRules">): void {
  const unknown = Object.keys(waf.countOnlyRules).filter((g) => !waf.managedRuleGroups.includes(g as ManagedRuleGroup));
  if (unknown.length) {
    throw new ConfigError("countOnlyRules", unknown, "names rule groups the web ACL does not use", `add them to managedRuleGroups, or remove them (it uses ${waf.managedRuleGroups.join(", ")})`);
  }
}
