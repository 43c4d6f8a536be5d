import Ajv2020 from "ajv/dist/2020";
import { readFileSync } from "fs";
import { checkOverrides } from "../../src/config/overrides";
import { SYSTEMS } from "../../src/systems";
import { infraConfigJsonSchema, SETTINGS_DOC, SETTINGS_SCHEMA, settingsMarkdown } from "../../scripts/settings/reference";

const schema = infraConfigJsonSchema(Object.keys(SYSTEMS));
const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);

/** The errors an editor shows for `config`, as `<path> <message>`. */
function problems(config: unknown): string[] {
  return validate(config) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}${e.params && "additionalProperty" in e.params ? ` ${e.params.additionalProperty}` : ""}`);
}

describe("settings reference and INFRA_CONFIG JSON Schema, generated from the config schemas", () => {
  it.each([
    [SETTINGS_DOC, () => settingsMarkdown()],
    [SETTINGS_SCHEMA, () => `${JSON.stringify(schema, null, 2)}\n`],
  ])("%s is up to date (else run npm run settings)", (file, generate) => {
    expect(readFileSync(file, "utf8")).toBe(generate());
  });

  it("accepts the README's override example", () => {
    const readme = readFileSync("README.md", "utf8");
    const example = /```json\n(\{\n  "muejam"[\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    expect(problems(JSON.parse(example!))).toEqual([]);
  });

  it("accepts the $schema key editors use, which synth ignores", () => {
    const file = { $schema: "./schema/infra-config.schema.json", muejam: { all: { region: "eu-west-1" } } };
    expect(problems(file)).toEqual([]);
    expect(checkOverrides(file, Object.keys(SYSTEMS))).toEqual({ muejam: { all: { region: "eu-west-1" } } });
  });

  it("accepts a partial layer: a service's instance type alone", () => {
    expect(problems({ algoitny: { prod: { compute: { services: { api: { instanceType: "t3.large" } } } } } })).toEqual([]);
  });

  it("flags a typo'd key, a wrong type and an out-of-range value, as the synth would", () => {
    expect(problems({ muejam: { prod: { rds: { instanceClas: "db.r6g.large" } } } })).toEqual(["/muejam/prod/rds must NOT have additional properties instanceClas"]);
    expect(problems({ muejam: { all: { network: { natGateways: "two" } } } })).toEqual(["/muejam/all/network/natGateways must be equal to one of the allowed values"]);
    expect(problems({ ode: { dev: { rds: { backupRetentionDays: 40 } } } })).toEqual(["/ode/dev/rds/backupRetentionDays must be <= 35"]);
  });

  it("flags an unknown system and an unknown environment", () => {
    expect(problems({ nosuch: {} })).toEqual([" must NOT have additional properties nosuch"]);
    expect(problems({ joblet: { qa: {} } })).toEqual(["/joblet must NOT have additional properties qa"]);
  });

  it("documents every top-level setting, with its description and default from the schema", () => {
    const doc = settingsMarkdown();
    expect(doc).toContain("| `rds.backupRetentionDays` | integer (0-35) | `7` | Days of automated backups, 0-35. |");
    for (const key of Object.keys(schema.$defs!.settings.properties!)) expect(doc).toContain(`\`${key}`);
  });
});
