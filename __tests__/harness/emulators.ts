import { ChildProcess, spawn, spawnSync } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import { Server } from "http";
import { tmpdir } from "os";
import { join } from "path";
import dynalite from "dynalite";
import S3rver from "s3rver";
import { terraformEnv } from "./terraform";

/**
 * A real S3 backend on loopback: s3rver (S3) and dynalite (DynamoDB), both on 127.0.0.1
 * on ports the OS picks, inside the test process. Because they share the test's event
 * loop, terraform must run asynchronously while they serve (see {@link runTerraform}):
 * a synchronous child process would block the emulators it is talking to.
 */
export interface Emulators {
  readonly s3Endpoint: string;
  readonly dynamodbEndpoint: string;
  /** The connection settings a backend (or a remote state's `config`) needs to reach them. */
  readonly connection: Readonly<Record<string, unknown>>;
  /** An object of the bucket, or undefined when there is none. */
  getObject(bucket: string, key: string): Promise<string | undefined>;
  /** Every item of a DynamoDB table. */
  scan(table: string): Promise<Record<string, string>[]>;
  /** Stops both servers and removes s3rver's files. */
  stop(): Promise<void>;
}

/** s3rver's built-in account; dynalite accepts any key. */
export const EMULATOR_ACCESS_KEY = "S3RVER";
export const EMULATOR_SECRET_KEY = "S3RVER";

const HOST = "127.0.0.1";

/** Starts both emulators, with the given buckets and `LockID` tables, within `timeoutMs`. */
export async function startEmulators(options: { buckets: readonly string[]; lockTables: readonly string[]; timeoutMs?: number }): Promise<Emulators> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const directory = mkdtempSync(join(tmpdir(), "s3rver-"));
  const s3 = new S3rver({
    address: HOST,
    port: 0,
    silent: true,
    directory,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const stopAll = async () => {
    await Promise.allSettled([closeServer(() => s3.close(), s3.httpServer), closeServer(() => new Promise<void>((resolve) => dynamo.close(() => resolve())), dynamo)]);
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    const s3Address = await withTimeout(s3.run(), timeoutMs, "s3rver did not start");
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        dynamo.once("error", reject);
        dynamo.listen(0, HOST, () => resolve());
      }),
      timeoutMs,
      "dynalite did not start",
    );
    const dynamoPort = (dynamo.address() as { port: number }).port;
    const s3Endpoint = `http://${HOST}:${s3Address.port}`;
    const dynamodbEndpoint = `http://${HOST}:${dynamoPort}`;
    const call = (target: string, body: unknown) => dynamodbCall(dynamodbEndpoint, target, body);
    for (const table of options.lockTables) await createLockTable(call, table, timeoutMs);
    return {
      s3Endpoint,
      dynamodbEndpoint,
      connection: emulatorConnection(s3Endpoint, dynamodbEndpoint),
      async getObject(bucket, key) {
        const response = await fetch(`${s3Endpoint}/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`);
        return response.status === 200 ? await response.text() : undefined;
      },
      async scan(table) {
        const result = (await call("Scan", { TableName: table })) as { Items: Record<string, { S: string }>[] };
        return result.Items.map((item) => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, v.S])));
      },
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** A DynamoDB lock table (`LockID`, on demand), once it is ACTIVE. */
async function createLockTable(call: (target: string, body: unknown) => Promise<unknown>, table: string, timeoutMs: number): Promise<void> {
  await call("CreateTable", {
    TableName: table,
    AttributeDefinitions: [{ AttributeName: "LockID", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
  });
  await waitUntil(async () => ((await call("DescribeTable", { TableName: table })) as { Table: { TableStatus: string } }).Table.TableStatus === "ACTIVE", timeoutMs, `table ${table} did not become ACTIVE`);
}

/** The S3 backend's connection settings for the emulators on loopback. */
function emulatorConnection(s3Endpoint: string, dynamodbEndpoint: string): Emulators["connection"] {
  return {
    endpoints: { s3: s3Endpoint, dynamodb: dynamodbEndpoint },
    use_path_style: true,
    access_key: EMULATOR_ACCESS_KEY,
    secret_key: EMULATOR_SECRET_KEY,
    // No STS, IMDS or account lookup on loopback.
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    // s3rver stores an aws-chunked body with trailing checksums as is; send plain bodies.
    skip_s3_checksum: true,
  };
}

/**
 * Whether an S3 server honours `If-None-Match: *` on PUT (a conditional write), which
 * Terraform's `use_lockfile` locking relies on. Probed synchronously, in a child process
 * with its own s3rver on loopback, so a test can decide at definition time whether to run
 * or skip. Returns the status of the second, conditional PUT of an existing key: 412
 * when supported.
 */
export function probeS3rverConditionalPut(timeoutMs = 30_000): { supported: boolean; status: number; detail: string } {
  const script = `
    const S3rver = require("s3rver"); const fs = require("fs"); const os = require("os"); const path = require("path");
    (async () => {
      const directory = fs.mkdtempSync(path.join(os.tmpdir(), "s3rver-probe-"));
      const s3 = new S3rver({ address: "${HOST}", port: 0, silent: true, directory, configureBuckets: [{ name: "probe" }] });
      const { port } = await s3.run();
      const url = "http://${HOST}:" + port + "/probe/lock";
      await fetch(url, { method: "PUT", body: "first" });
      const second = await fetch(url, { method: "PUT", body: "second", headers: { "If-None-Match": "*" } });
      const kept = await (await fetch(url)).text();
      await s3.close(); fs.rmSync(directory, { recursive: true, force: true });
      process.stdout.write(JSON.stringify({ status: second.status, kept }));
    })().catch((e) => { process.stderr.write(String(e)); process.exit(1); });`;
  const result = spawnSync(process.execPath, ["-e", script], { cwd: join(__dirname, "..", ".."), encoding: "utf8", timeout: timeoutMs });
  if (result.status !== 0) throw new Error(`the s3rver conditional-PUT probe failed: ${result.stderr || result.error}`);
  const { status, kept } = JSON.parse(result.stdout) as { status: number; kept: string };
  return {
    supported: status === 412 && kept === "first",
    status,
    detail: `a PUT with "If-None-Match: *" over an existing object answered ${status} and the object now holds "${kept}"`,
  };
}

export interface TerraformRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly output: string;
}

/** The environment of a terraform run against the emulators: no AWS profile or metadata service of the machine. */
export function emulatorEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = terraformEnv(extra);
  for (const name of ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"]) {
    delete env[name];
  }
  return { ...env, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_EC2_METADATA_DISABLED: "true" };
}

/** A terraform process running in the background, e.g. one waiting at its approval prompt. */
export class BackgroundTerraform {
  private stdoutText = "";
  private stderrText = "";
  private readonly child: ChildProcess;
  public readonly exited: Promise<TerraformRun>;

  constructor(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv) {
    this.child = spawn("terraform", [...args, "-no-color"], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout!.on("data", (chunk: Buffer) => (this.stdoutText += chunk.toString()));
    this.child.stderr!.on("data", (chunk: Buffer) => (this.stderrText += chunk.toString()));
    this.exited = new Promise((resolve, reject) => {
      this.child.once("error", reject);
      this.child.once("close", (code) =>
        resolve({ status: code ?? -1, stdout: this.stdoutText, stderr: this.stderrText, output: `${this.stdoutText}\n${this.stderrText}` }),
      );
    });
  }

  public get output(): string {
    return `${this.stdoutText}\n${this.stderrText}`;
  }

  /** Resolves once the output contains `text`; fails after `timeoutMs` or if the process exits first. */
  public async waitFor(text: string, timeoutMs: number): Promise<void> {
    let done = false;
    const exitedFirst = this.exited.then((run) => {
      if (!done) throw new Error(`terraform exited (${run.status}) before printing "${text}":\n${run.output}`);
    });
    try {
      await withTimeout(
        Promise.race([waitUntil(async () => this.output.includes(text), timeoutMs, `terraform did not print "${text}"`), exitedFirst]),
        timeoutMs,
        `terraform did not print "${text}" within ${timeoutMs} ms:\n${this.output}`,
      );
    } finally {
      done = true;
    }
  }

  /** Types a line at the prompt. */
  public answer(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  /** Closes stdin: a prompt nobody should answer fails at once instead of waiting. */
  public closeInput(): void {
    this.child.stdin!.end();
  }

  /** Kills the process if it is still running (cleanup on failure). */
  public kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }
}

/** Runs terraform to completion without blocking the event loop; kills it after `timeoutMs`. */
export async function runTerraform(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<TerraformRun> {
  const run = new BackgroundTerraform(cwd, args, env);
  run.closeInput();
  const timer = setTimeout(() => run.kill(), timeoutMs);
  try {
    const result = await run.exited;
    if (result.status === -1) throw new Error(`terraform ${args.join(" ")} was killed after ${timeoutMs} ms:\n${result.output}`);
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** Like {@link runTerraform}, failing with the output unless terraform exits 0. */
export async function mustTerraform(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<TerraformRun> {
  const result = await runTerraform(cwd, args, env, timeoutMs);
  if (result.status !== 0) throw new Error(`terraform ${args.join(" ")} failed in ${cwd} (exit ${result.status}):\n${result.output}`);
  return result;
}

async function dynamodbCall(endpoint: string, target: string, body: unknown): Promise<unknown> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.0",
      "X-Amz-Target": `DynamoDB_20120810.${target}`,
      // dynalite checks that a request is signed, not the signature itself.
      Authorization: `AWS4-HMAC-SHA256 Credential=${EMULATOR_ACCESS_KEY}/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0`,
      "X-Amz-Date": "20240101T000000Z",
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`dynalite ${target} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), timeoutMs)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes a server within 10 s, dropping open connections if it has to. */
async function closeServer(close: () => Promise<unknown>, server: Server | undefined): Promise<void> {
  try {
    await withTimeout(close(), 10_000, "server did not close");
  } catch {
    server?.closeAllConnections?.();
  }
}
