import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * Owns the child process of a process environment: each request line from the main thread goes to
 * the child's stdin, and the child's answer line is copied into the shared buffer, where the main
 * thread (blocked in Atomics.wait) picks it up. This is what lets a synchronous Env speak to an
 * asynchronous pipe.
 */
const { command, args, cwd, control, data } = workerData as { command: string; args: string[]; cwd?: string; control: SharedArrayBuffer; data: SharedArrayBuffer };
const state = new Int32Array(control);
const bytes = new Uint8Array(data);
const encoder = new TextEncoder();

function answer(line: string): void {
  const encoded = encoder.encode(line);
  if (encoded.length > bytes.length) {
    return answer(JSON.stringify({ error: `the answer is ${encoded.length} bytes, more than the ${bytes.length} the channel holds` }));
  }
  bytes.set(encoded);
  Atomics.store(state, 1, encoded.length);
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
}

const child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
let stopped = false;
child.on('error', (err) => answer(JSON.stringify({ error: `cannot start ${command}: ${err.message}` })));
child.on('exit', (code, signal) => {
  if (!stopped) answer(JSON.stringify({ error: `the process exited (${signal ?? `code ${code}`})` }));
});
createInterface({ input: child.stdout! }).on('line', answer);
parentPort!.on('message', (line: string) => {
  if (line === '{"op":"close"}') stopped = true;
  child.stdin!.write(line + '\n');
  if (stopped) child.stdin!.end();
});
