import { DEFAULT_ENVIRONMENTS } from "../../src/config/selection";
import { describeStackProofs } from "../harness/stack-proofs";
import { HARNESS_SYSTEMS } from "../harness/systems";

// The default app (`npm run synth`: every system in the default environment), with the sixth
// system, defined only in a test fixture (../fixtures/systems/acme.ts): its dev stacks stand on
// the same rungs in the same terraform root, as a system of a user's own would.
describeStackProofs("every system in dev (the default app's and the sixth)", { systems: Object.keys(HARNESS_SYSTEMS), environments: DEFAULT_ENVIRONMENTS });
