import { readFileSync, existsSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic-write.js';
import { SparselawError } from '../errors.js';
import type { SavedArray } from './td3.js';

const MAGIC = 'SPARSELAW-CKPT1\n';

/**
 * One file: a magic line, a JSON header (state and the list of arrays), then the float32 arrays.
 * Written atomically, so an interrupted save leaves the previous checkpoint intact.
 */
export function writeCheckpoint(path: string, state: unknown, arrays: readonly SavedArray[]): void {
  const header = JSON.stringify({ state, arrays: arrays.map((a) => ({ name: a.name, shape: a.shape, length: a.data.length })) });
  const head = Buffer.from(`${MAGIC}${header}\n`, 'utf8');
  // Float32 data must start on a 4-byte boundary for a zero-copy view when reading.
  const pad = (4 - (head.length % 4)) % 4;
  const total = head.length + pad + arrays.reduce((s, a) => s + a.data.byteLength, 0);
  const out = Buffer.alloc(total, 0x20);
  head.copy(out, 0);
  let at = head.length + pad;
  for (const a of arrays) {
    Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).copy(out, at);
    at += a.data.byteLength;
  }
  writeFileAtomic(path, out);
}

export function readCheckpoint<S>(path: string): { state: S; arrays: Map<string, SavedArray> } {
  if (!existsSync(path)) throw new SparselawError(`${path}: no checkpoint here`);
  const buf = readFileSync(path);
  if (buf.subarray(0, MAGIC.length).toString('utf8') !== MAGIC) throw new SparselawError(`${path}: not a sparselaw checkpoint`);
  const end = buf.indexOf(0x0a, MAGIC.length);
  let header: { state: S; arrays: { name: string; shape: number[]; length: number }[] };
  try {
    header = JSON.parse(buf.subarray(MAGIC.length, end).toString('utf8'));
  } catch {
    throw new SparselawError(`${path}: the checkpoint header is damaged`);
  }
  let at = end + 1;
  at += (4 - (at % 4)) % 4;
  const arrays = new Map<string, SavedArray>();
  for (const a of header.arrays) {
    const bytes = a.length * 4;
    if (at + bytes > buf.length) throw new SparselawError(`${path}: the checkpoint is truncated (array ${a.name})`);
    const data = new Float32Array(bytes / 4);
    new Uint8Array(data.buffer).set(buf.subarray(at, at + bytes));
    arrays.set(a.name, { name: a.name, shape: a.shape, data });
    at += bytes;
  }
  return { state: header.state, arrays };
}
