import { Testing } from "cdktf";

Testing.setupJest();

/**
 * cdktf records, for every token it creates, the whole stack it was created on (for the "created
 * at" of its resolution errors). Under jest, reading a stack maps each frame through the source
 * map of its file (cdktf's files carry theirs inline), and the unit suite spent about 40 % of
 * its CPU there (276 CPU-s, 165 without; the same 1110 tests passing). No test reads a creation
 * stack, so tests record none; synth outside jest records them as cdktf does.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stackTrace = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: () => string[] };
stackTrace.captureStackTrace = () => [];
