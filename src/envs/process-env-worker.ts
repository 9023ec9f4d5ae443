import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * Owns the child process of a process environment: each request line from the main thread goes to
 * the child's stdin, and the child's answer line is copied into the shared buffer, where the main
 * thread (blocked in Atomics.wait) picks it up. This is what lets a synchronous Env speak to an
 * asynchronous pipe. Whatever goes wrong (the program cannot start, exits, closes its input) is
 * answered as an error, so the main thread never waits for an answer that cannot come.
 */
interface WorkerInput {
  command: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  control: SharedArrayBuffer;
  data: SharedArrayBuffer;
}
const { command, args, cwd, env, control, data } = workerData as WorkerInput;
const state = new Int32Array(control);
const bytes = new Uint8Array(data);
const encoder = new TextEncoder();
/** Seconds a closed program has to exit on its own before it is killed. */
const EXIT_GRACE_MS = 2000;

/** Writes the answer to request `seq`, then its number (the main thread waits for the number). */
function answer(seq: number, line: string): void {
  const encoded = encoder.encode(line);
  if (encoded.length > bytes.length) {
    return answer(seq, JSON.stringify({ error: `the answer is ${encoded.length} bytes, more than the ${bytes.length} the channel holds` }));
  }
  bytes.set(encoded);
  Atomics.store(state, 1, encoded.length);
  Atomics.store(state, 0, seq);
  Atomics.notify(state, 0);
}

/** The number of the request the program is answering, 0 when none is. */
let pending = 0;
let closing = false;
/** Why the program can answer no more, once it cannot. */
let dead: string | undefined;
// The end of what the program wrote on stderr: a line may arrive split over several chunks.
let stderrTail = '';
const lastStderrLine = (): string => stderrTail.split('\n').map((l) => l.trim()).filter((l) => l !== '').at(-1)?.slice(0, 300) ?? '';
let exited = false;

const fail = (why: string): void => {
  dead ??= why;
  if (pending !== 0) {
    const seq = pending;
    pending = 0;
    answer(seq, JSON.stringify({ error: dead }));
  }
};

// Its own process group: a Ctrl-C at the terminal reaches sparselaw, which stops at its next
// checkpoint, and not the simulator, which would die under it.
const child = spawn(command, args, { cwd, env: env ? { ...process.env, ...env } : process.env, stdio: ['pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
child.on('error', (err: NodeJS.ErrnoException) => fail(err.code === 'ENOENT' ? `cannot start ${command}: no such program (is it installed and on the PATH?)` : `cannot start ${command}: ${err.message}`));
// 'close', not 'exit': by then the program's last words on stderr have been read.
child.on('close', (code, signal) => {
  exited = true;
  const last = lastStderrLine();
  if (!closing) fail(`the process exited (${signal ?? `code ${code}`})${last ? `; its last words on stderr: ${last}` : ''}`);
  parentPort!.close();
});
child.stdin!.on('error', (err) => fail(`cannot write to the process: ${err.message}`));
child.stderr!.on('data', (chunk: Buffer) => {
  process.stderr.write(chunk);
  stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4096);
});
createInterface({ input: child.stdout! }).on('line', (line) => {
  if (pending === 0) return fail(`the process wrote a line to stdout that answers no request: ${JSON.stringify(line.slice(0, 80))} (logs belong on stderr)`);
  const seq = pending;
  pending = 0;
  answer(seq, line);
});
parentPort!.on('message', ({ seq, line }: { seq: number; line: string }) => {
  if (seq === 0) {
    closing = true;
    if (exited) return parentPort!.close();
    // Asked to close, the program ends by itself; one that cannot (or no longer answers) is killed.
    if (child.stdin!.writable) child.stdin!.end(line + '\n');
    setTimeout(() => child.kill('SIGKILL'), dead === undefined ? EXIT_GRACE_MS : 0).unref();
    return;
  }
  pending = seq;
  if (dead !== undefined) return fail(dead);
  child.stdin!.write(line + '\n');
});
