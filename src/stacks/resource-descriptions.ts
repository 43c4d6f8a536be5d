import { TerraformStack, Token, Tokenization } from "cdktf";
import { ConfigError } from "../lib/errors";
import { argumentOf, resourcesByAddress } from "./resource-addresses";

/**
 * The free-text arguments AWS checks against a character set of its own at apply, which
 * neither Terraform nor the provider checks before: a description that plans cleanly fails
 * the first apply (`InvalidParameterValue: Invalid security group description`), and with it
 * everything that depends on the resource.
 */
interface DescriptionRule {
  readonly argument: string;
  /** One character AWS accepts there. */
  readonly char: RegExp;
  /** A whole description AWS accepts: its length, and what may start or end it. */
  readonly pattern: RegExp;
  /** What AWS accepts, in its words, for the message. */
  readonly allowed: string;
}

/** EC2 CreateSecurityGroup, GroupDescription (required): 1-255 of a-z, A-Z, 0-9, spaces and `._-:/()#,@[]+=&;{}!$*`. */
const SECURITY_GROUP: DescriptionRule = {
  argument: "description",
  char: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]$/,
  pattern: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/,
  allowed: "1-255 of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*",
};

/** A security group rule's description (IpRange, PrefixListId, UserIdGroupPair): up to 255 of the same set, without `&`. */
const SECURITY_GROUP_RULE: DescriptionRule = {
  argument: "description",
  char: /^[A-Za-z0-9 ._\-:/()#,@[\]+=;{}!$*]$/,
  pattern: /^[A-Za-z0-9 ._\-:/()#,@[\]+=;{}!$*]{0,255}$/,
  allowed: "up to 255 of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=;{}!$*",
};

/**
 * WAFv2 EntityDescription, `^[\w+=:#@/\-,\.][\w+=:#@/\-,\.\s]+[\w+=:#@/\-,\.]$` (at most 256): at
 * least 3 characters, whitespace inside only. AWS's `\w` and `\s` are ASCII; JavaScript's `\s` is
 * not, so the whitespace is spelled out.
 */
const WAF: DescriptionRule = {
  argument: "description",
  char: /^[\w+=:#@/\-,. \t\n\v\f\r]$/,
  pattern: /^[\w+=:#@/\-,.][\w+=:#@/\-,. \t\n\v\f\r]{1,254}[\w+=:#@/\-,.]$/,
  allowed: "3-256 of letters, digits, _, whitespace and +=:#@/-,., whitespace neither first nor last",
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
 * The problems of every resource of `stacks` whose description AWS would refuse at apply,
 * naming the resource, the description and what AWS accepts. Of a description that holds
 * Terraform expressions, known only at apply, the literal text's characters are checked.
 */
export function descriptionProblems(stacks: readonly TerraformStack[]): ConfigError[] {
  return stacks.flatMap(descriptionErrors);
}

function descriptionErrors(stack: TerraformStack): ConfigError[] {
  return [...resourcesByAddress(stack)].flatMap(([address, c]) => {
    const rule = RULES[c.terraformResourceType];
    if (!rule) return [];
    const text = argumentOf(c, rule.argument);
    if (typeof text !== "string") return [];
    const computed = Token.isUnresolved(text);
    const literal = computed ? Tokenization.reverseString(text).literals.join("") : text;
    const refused = [...new Set([...literal].filter((ch) => !rule.char.test(ch)))].join("");
    if (!refused && (computed || rule.pattern.test(text))) return [];
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
