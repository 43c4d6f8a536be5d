import { ChildProcess, spawn } from "child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { AWS_PROVIDER, isExactVersion, MIRROR } from "./terraform";

/**
 * The mirror's aws provider started once, as a provider server terraform attaches to
 * (`TF_REATTACH_PROVIDERS`, the provider's `-debug` mode) instead of starting a process of its
 * own for every operation.
 *
 * Only for commands that never configure the aws provider: `terraform test` against
 * `mock_provider "aws"` blocks, which asks the real provider for its schema and to validate
 * each block, and fakes the rest without configuring it. There terraform 1.11 starts the
 * provider (700 MB, about half a CPU-second to start) for each operation of each run, dozens
 * of times per rung. A command that configures it (plan, apply) must not attach: every
 * provider configuration would share the one process, and the last configured (its region,
 * its default tags) would serve them all.
 */

/** How long the server may take to print its address. */
const START_TIMEOUT_MS = 60_000;

/**
 * Runs `run` with the environment that attaches terraform to a server of the mirror's aws
 * provider `version`, and stops the server after. Without an unpacked binary of that version
 * in the mirror, when `version` is not one exact version, or off Linux, `run` gets no such
 * environment and terraform starts the provider itself, as it otherwise would.
 */
export function withAwsProviderServer<T>(version: string | undefined, run: (env: NodeJS.ProcessEnv) => T): T {
  const binary = version ? providerBinary(version) : undefined;
  // Where there is no /proc (not Linux), the server's exit could not be watched: no server.
  if (!binary || !existsSync("/proc/self/stat")) return run({});
  const server = startServer(binary);
  try {
    return run({ TF_REATTACH_PROVIDERS: server.reattach });
  } finally {
    server.stop();
  }
}

/** The unpacked binary of the mirror's aws provider `version` for this platform, if any. */
function providerBinary(version: string): string | undefined {
  if (!isExactVersion(version)) return undefined;
  const arch = ({ x64: "amd64", arm64: "arm64", ia32: "386" } as Record<string, string>)[process.arch] ?? process.arch;
  const dir = join(MIRROR, AWS_PROVIDER, version, `${process.platform}_${arch}`);
  const name = existsSync(dir) ? readdirSync(dir).find((f) => f.startsWith("terraform-provider-aws")) : undefined;
  return name && join(dir, name);
}

interface Server {
  /** The TF_REATTACH_PROVIDERS value the server printed. */
  readonly reattach: string;
  stop(): void;
}

/**
 * Starts `binary -debug` and waits for the line it prints, `TF_REATTACH_PROVIDERS='<json>'`.
 * The harness is synchronous, so the server writes to a file that is polled. The server is
 * stopped also if the test process exits first.
 */
function startServer(binary: string): Server {
  const dir = mkdtempSync(join(tmpdir(), "tf-provider-server-"));
  const logFile = join(dir, "server.log");
  const log = openSync(logFile, "w");
  // Its socket goes to `dir` too (TMPDIR), removed with it.
  const child: ChildProcess = spawn(binary, ["-debug"], { stdio: ["ignore", log, log], env: { ...process.env, TMPDIR: dir } });
  closeSync(log);
  child.unref();
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  const stop = () => {
    process.removeListener("exit", kill);
    kill();
    // Its memory is freed before the next rung asks for its own.
    while (isRunning(child.pid!)) sleep(20);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const printed = readFileSync(logFile, "utf8");
    const reattach = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(printed)?.[1];
    if (reattach && AWS_PROVIDER in (JSON.parse(reattach) as Record<string, unknown>)) return { reattach, stop };
    const exited = !isRunning(child.pid!);
    if (exited || Date.now() > deadline) {
      stop();
      throw new Error(`the aws provider server (${binary} -debug) printed no TF_REATTACH_PROVIDERS ${exited ? "and exited" : `within ${START_TIMEOUT_MS / 1000} s`}:\n${printed}`);
    }
    sleep(50);
  }
}

/**
 * Whether process `pid` runs. No event loop turns while the harness waits, so a child's exit
 * is read from /proc, not from `ChildProcess.exitCode`; a child killed but not yet reaped is
 * a zombie, not running.
 */
export function isRunning(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  return existsSync(stat) && !/^\d+ \(.*\) Z/.test(readFileSync(stat, "utf8"));
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
