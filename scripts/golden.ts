/**
 * `npm run golden`: rewrites tests/golden/ from a fresh synth of every system in every
 * environment. Run it after an intended change, and review the diff it leaves in git.
 */
import { synthesizeAll, writeGolden } from "../__tests__/harness/golden";

const stacks = synthesizeAll();
writeGolden(stacks);
process.stdout.write(`tests/golden: ${Object.keys(stacks).length} stacks written; review them with git diff tests/golden\n`);
