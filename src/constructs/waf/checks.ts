import { ConfigError } from "../../lib/errors";
import { BODY_SIZE_RULE, ManagedRuleGroup, WafConfig } from "./settings";

/**
 * The web ACL's settings across keys: rules counted instead of blocked belong to rule groups
 * the ACL uses, and do not let large bodies through everywhere while `largeBodyPaths` limits
 * them. Keys are relative to the settings; the web ACL checks the same on its props.
 */
export function checkWafSettings(waf: Pick<WafConfig, "managedRuleGroups" | "countOnlyRules" | "largeBodyPaths">): void {
  const unknown = Object.keys(waf.countOnlyRules).filter((g) => !waf.managedRuleGroups.includes(g as ManagedRuleGroup));
  if (unknown.length) {
    throw new ConfigError("countOnlyRules", unknown, "names rule groups the web ACL does not use", `add them to managedRuleGroups, or remove them (it uses ${waf.managedRuleGroups.join(", ")})`);
  }
  if (waf.largeBodyPaths.length > 0 && waf.countOnlyRules[BODY_SIZE_RULE.group]?.includes(BODY_SIZE_RULE.rule)) {
    throw new ConfigError(`countOnlyRules.${BODY_SIZE_RULE.group}`, BODY_SIZE_RULE.rule, "lets large bodies through on every path, which contradicts largeBodyPaths", `remove ${BODY_SIZE_RULE.rule} from it to allow large bodies on largeBodyPaths only, or remove largeBodyPaths to allow them everywhere`);
  }
}
