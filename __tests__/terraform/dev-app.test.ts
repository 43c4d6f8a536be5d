import { describeStackProofs } from "../harness/stack-proofs";
import { DEV_RUNGS_SELECTION } from "../harness/systems";

// The default app (`npm run synth`: every system in the default environment), with the sixth
// system, defined only in a test fixture (../fixtures/systems/acme.ts): its dev stacks stand on
// the same rungs in the same terraform root, as a system of a user's own would.
describeStackProofs("every system in dev (the default app's and the sixth)", DEV_RUNGS_SELECTION);
