/**
 * Finds secret-looking literals in synthesized Terraform JSON: values of secret-named
 * attributes that are literals rather than references, and anything anywhere that looks
 * like a private key, an AWS key pair, a token or a `PASSWORD=...` assignment.
 */

/** Attribute names whose value is a secret when it is a literal. */
const SECRET_ATTRIBUTE = /(^|_)(password|passwords|passwd|secret_string|secret_binary|auth_token|token|private_key|secret_key|secret_access_key|access_key|api_key|client_secret)$/i;

/** Patterns that are secrets wherever they appear. */
const SECRET_VALUE_PATTERNS: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: "private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { name: "AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  {
    name: "AWS secret access key",
    // 40 base64 characters with upper, lower case and digits, not part of a longer run
    pattern: /(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+=]*[A-Z])(?=[A-Za-z0-9/+=]*[a-z])(?=[A-Za-z0-9/+=]*[0-9])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/,
  },
  { name: "GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{36}\b/ },
  { name: "Slack token", pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { name: "JSON web token", pattern: /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  { name: "password assignment", pattern: /\b[A-Z_]*(PASSWORD|PASSWD|_PASS|SECRET|TOKEN|API_KEY)[A-Z_]*\s*[=:]\s*(?![$<{]|\\\()['"]?[^\s'"$<{]{6,}/ },
];

export interface SecretFinding {
  /** Where: the JSON path, e.g. `resource.aws_db_instance.rds_instance.password`. */
  readonly path: string;
  readonly why: string;
}

/** Whether a string is a Terraform reference or expression as a whole (`${...}`), not a literal. */
function isReference(value: string): boolean {
  return /^\$\{[\s\S]*\}$/.test(value.trim());
}

/** Every secret-looking literal in `json`. */
export function findSecrets(json: unknown, path = ""): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const visit = (value: unknown, at: string, key: string) => {
    if (typeof value === "string") {
      if (SECRET_ATTRIBUTE.test(key) && value !== "" && !isReference(value)) {
        findings.push({ path: at, why: `the secret attribute "${key}" holds a literal` });
      }
      for (const { name, pattern } of SECRET_VALUE_PATTERNS) {
        if (pattern.test(value)) findings.push({ path: at, why: `looks like a ${name}` });
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${at}[${i}]`, key));
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) visit(v, at ? `${at}.${k}` : k, k);
    }
  };
  visit(json, path, "");
  return findings;
}
