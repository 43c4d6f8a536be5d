/**
 * Repairs two defects of cdktf 0.21's HCL renderer (`cdktf synth --hcl`), which is final and
 * will not be fixed upstream:
 *
 * - Attributes of the `terraform` block other than `required_providers` and `backend` are
 *   rendered by their position (`0 = "required_version"`), which Terraform cannot load.
 *   They are rendered again from the stack's own settings.
 * - `depends_on` entries are quoted strings, which Terraform 1.x accepts with a warning that
 *   they will be removed. They are written as plain references.
 *
 * @param hcl a stack's `cdk.tf`, as cdktf wrote it
 * @param terraformSettings the stack's `terraform` attributes, e.g. `{ required_version: ">= 1.10.0" }`
 * @throws when a positional attribute names a setting not given, so a new one cannot slip through broken
 */
export function repairHcl(hcl: string, terraformSettings: Readonly<Record<string, string>>): string {
  const positional = /^(\s*)\d+ = "([A-Za-z_]+)"$/gm;
  const repaired = hcl.replace(positional, (_, indent: string, name: string) => {
    const value = terraformSettings[name];
    if (value === undefined) throw new Error(`cdk.tf: the terraform block's "${name}" was rendered without its value, and no value is known for it`);
    return `${indent}${name} = ${JSON.stringify(value)}`;
  });
  return repaired.replace(/^(\s*)depends_on = \[\n((?:\s*"[^"\n]+",?\n)+)(\s*)\]/gm, (_, indent: string, entries: string, close: string) => {
    const unquoted = entries.replace(/"([^"\n]+)"/g, "$1");
    return `${indent}depends_on = [\n${unquoted}${close}]`;
  });
}
