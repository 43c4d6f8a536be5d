import { rmSync } from "fs";
import { RUN_TMPDIR } from "./global-setup";

/** Removes the run's temporary directory (./global-setup.ts), with whatever a failing test left in it. */
export default function globalTeardown(): void {
  const dir = process.env[RUN_TMPDIR];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
