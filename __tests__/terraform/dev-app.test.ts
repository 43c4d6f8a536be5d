import { DEFAULT_ENVIRONMENTS } from "../../src/config/selection";
import { SYSTEMS } from "../../src/systems";
import { describeStackProofs } from "../harness/stack-proofs";

// The default app (`npm run synth`): every system in the default environment.
describeStackProofs("default app (dev)", { systems: Object.keys(SYSTEMS), environments: DEFAULT_ENVIRONMENTS });
