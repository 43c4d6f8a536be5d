/**
 * The order jest starts the test files in, on its two workers: the terraform rungs first,
 * those that stand whole apps on every rung (`describeStackProofs`) before the other terraform
 * tests, then the unit tests, which are many and short and fill the workers' last minutes.
 *
 * Jest's own order puts the slowest files first when it has timed them before; a clean clone
 * (CI) has no timings, and then jest orders by file size, which started the two longest suites
 * (dev-app.test.ts and prod-app.test.ts, a few lines each, minutes each) last, side by side,
 * after everything else. Within each part, jest's order is kept, and files that failed in the
 * last run still come first, as in jest's own order.
 */
const Sequencer = require("@jest/test-sequencer").default;
const { readFileSync } = require("fs");
const { sep } = require("path");

const TERRAFORM_DIR = `${sep}__tests__${sep}terraform${sep}`;

/** 0: stands apps on every rung; 1: another terraform test; 2: the rest. */
function part(path) {
  if (!path.includes(TERRAFORM_DIR)) return 2;
  return /\bdescribeStackProofs\(/.test(readFileSync(path, "utf8")) ? 0 : 1;
}

class RungsFirstSequencer extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    const parts = new Map(ordered.map((test) => [test.path, this.hasFailed(test) ? -1 : part(test.path)]));
    // Array.prototype.sort is stable: jest's order holds within a part.
    return [...ordered].sort((a, b) => parts.get(a.path) - parts.get(b.path));
  }
}

module.exports = RungsFirstSequencer;
