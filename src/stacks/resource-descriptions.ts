import { TerraformStack, Token } from "cdktf";
import { ConfigError, ConfigErrors } from "../lib/errors";
import { resourcesByAddress } from "./resource-addresses";

/**
 * The free-text arguments AWS checks against a character set of its own at apply, which
 * neither Terraform nor the provider checks before: a description that plans cleanly fails
 * the first apply (`InvalidParameterValue: Invalid security group description`), and with it
 * everything that depends on the resource.
 */
interface DescriptionRule {
  readonly argument: string;
  readonly pattern: RegExp;
  /** The characters allowed, in AWS's words, for the message. */
  readonly allowed: string;
}

/** EC2 CreateSecurityGroup, GroupDescription: up to 255 of a-z, A-Z, 0-9, spaces and `._-:/()#,@[]+=&;{}!$*`. */
const SECURITY_GROUP: DescriptionRule = {
  argument: "description",
  pattern: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{0,255}$/,
  allowed: "up to 255 of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*",
};

/** A security group rule's description (IpRange, PrefixListId, UserIdGroupPair): the same set without `&`. */
const SECURITY_GROUP_RULE: DescriptionRule = {
  argument: "description",
  pattern: /^[A-Za-z0-9 ._\-:/()#,@[\]+=;{}!$*]{0,255}$/,
  allowed: "up to 255 of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=;{}!$*",
};

/** WAFv2 EntityDescription: 1-256 of word characters, spaces and `+=:#@/-,.`, not starting or ending with a space. */
const WAF: DescriptionRule = {
  argument: "description",
  pattern: /^[\w+=:#@/\-,.][\w+=:#@/\-,.\s]{0,254}[\w+=:#@/\-,.]$/,
  allowed: "1-256 of letters, digits, _, spaces and +=:#@/-,. (no space first or last)",
};

const RULES: Readonly<Record<string, DescriptionRule>> = {
  aws_security_group: SECURITY_GROUP,
  aws_security_group_rule: SECURITY_GROUP_RULE,
  aws_vpc_security_group_ingress_rule: SECURITY_GROUP_RULE,
  aws_vpc_security_group_egress_rule: SECURITY_GROUP_RULE,
  aws_wafv2_web_acl: WAF,
  aws_wafv2_ip_set: WAF,
  aws_wafv2_regex_pattern_set: WAF,
  aws_wafv2_rule_group: WAF,
};

/**
 * Fails when a resource of `stacks` carries a description AWS would refuse at apply, naming
 * the resource, the description and the characters allowed. Descriptions given as Terraform
 * expressions are not known at synth and are not checked.
 */
export function checkDescriptions(stacks: readonly TerraformStack[]): void {
  const errors = stacks.flatMap(descriptionErrors);
  if (errors.length > 0) throw new ConfigErrors(errors);
}

function descriptionErrors(stack: TerraformStack): ConfigError[] {
  return [...resourcesByAddress(stack)].flatMap(([address, c]) => {
    const rule = RULES[c.terraformResourceType];
    if (!rule) return [];
    const body = Object.values((c.toTerraform() as { resource: Record<string, Record<string, Record<string, unknown>>> }).resource[c.terraformResourceType])[0];
    const text = body?.[rule.argument];
    if (typeof text !== "string" || Token.isUnresolved(text) || rule.pattern.test(text)) return [];
    const refused = [...new Set([...text].filter((ch) => !rule.pattern.test(`a${ch}a`)))].join("");
    return [
      new ConfigError(
        `${address}.${rule.argument}`,
        text,
        `${refused ? `holds "${refused}", which AWS refuses there` : "does not fit what AWS accepts there"} (allowed: ${rule.allowed}), so the first apply would fail`,
        "reword it with the allowed characters: a description comes from the construct, or from a name or setting it quotes",
        stack.node.id,
      ),
    ];
  });
}
