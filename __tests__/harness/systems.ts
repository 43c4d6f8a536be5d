import { DEFAULT_ENVIRONMENTS, Selection } from "../../src/config/selection";
import { SYSTEMS, SystemDefinition } from "../../src/systems";
import { AnyModule, MODULES } from "../../src/config/modules";
import { queuesModule } from "../fixtures/modules/queues/module";
import { acme } from "../fixtures/systems/acme";

/**
 * The systems the test suite can select: the five built-in ones, and the sixth, defined only
 * in a fixture (../fixtures/systems/acme.ts), as a user would add one of their own. Suites that
 * prove "every system" iterate SYSTEMS, the product's; the sixth has its own suite.
 */
export const HARNESS_SYSTEMS: Readonly<Record<string, SystemDefinition>> = { ...SYSTEMS, acme };

/**
 * The modules the test suite's systems are made of: the product's, and a seventh, defined only
 * in a fixture (../fixtures/modules/queues/), as a user would add one of their own. The sixth
 * system uses it.
 */
export const HARNESS_MODULES: readonly AnyModule[] = [...MODULES, queuesModule];

/**
 * What the dev terraform rungs prove (../terraform/dev-app.test.ts): the default app (every
 * built-in system in the default environment) with the sixth, in one root.
 */
export const DEV_RUNGS_SELECTION: Selection = { systems: Object.keys(HARNESS_SYSTEMS), environments: DEFAULT_ENVIRONMENTS };
