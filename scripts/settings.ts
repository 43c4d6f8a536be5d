/**
 * `npm run settings`: writes the settings reference (docs/settings.md) and the JSON Schema of the
 * INFRA_CONFIG file (schema/infra-config.schema.json) from the configuration's schemas.
 */
import { mkdirSync, writeFileSync } from "fs";
import { dirname } from "path";
import { SYSTEMS } from "../src/systems";
import { infraConfigJsonSchema, SETTINGS_DOC, SETTINGS_SCHEMA, settingsMarkdown } from "./settings/reference";

mkdirSync(dirname(SETTINGS_SCHEMA), { recursive: true });
writeFileSync(SETTINGS_SCHEMA, `${JSON.stringify(infraConfigJsonSchema(Object.keys(SYSTEMS)), null, 2)}\n`);
writeFileSync(SETTINGS_DOC, settingsMarkdown());
process.stdout.write(`${SETTINGS_DOC} and ${SETTINGS_SCHEMA} written; review them with git diff\n`);
