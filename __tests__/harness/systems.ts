import { SYSTEMS, SystemDefinition } from "../../src/systems";
import { acme } from "../fixtures/systems/acme";

/**
 * The systems the test suite can select: the five built-in ones, and the sixth, defined only
 * in a fixture (../fixtures/systems/acme.ts), as a user would add one of their own. Suites that
 * prove "every system" iterate SYSTEMS, the product's; the sixth has its own suite.
 */
export const HARNESS_SYSTEMS: Readonly<Record<string, SystemDefinition>> = { ...SYSTEMS, acme };
