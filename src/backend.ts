import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SparselawError } from './errors.js';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = 'node' | 'wasm' | 'cpu';

let chosen: Promise<BackendName> | undefined;

async function tryNode(): Promise<boolean> {
  try {
    // Optional dependency: absent where its native binary cannot be downloaded.
    await import('@tensorflow/tfjs-node' as string);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // In Node the .wasm files are found next to the package's own bundle.
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    wasm.setWasmPaths(pathToFileURL(join(dist, '/')).href.replace(/^file:\/\//, ''));
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

async function select(preferred: BackendPreference | undefined): Promise<BackendName> {
  const order: BackendPreference[] =
    preferred === 'cpu' ? ['cpu'] : preferred === 'wasm' ? ['wasm', 'cpu'] : ['node', 'wasm', 'cpu'];
  for (const b of order) {
    if (b === 'node' && (await tryNode())) return 'tensorflow';
    if (b === 'wasm' && (await tryWasm())) return 'wasm';
    if (b === 'cpu' && (await tf.setBackend('cpu'))) return 'cpu';
  }
  throw new SparselawError('no tfjs backend could be initialised');
}

function preferenceFromEnv(): BackendPreference | undefined {
  const v = process.env.SPARSELAW_BACKEND;
  if (v === undefined || v === '') return undefined;
  if (v === 'node' || v === 'wasm' || v === 'cpu') return v;
  throw new SparselawError(`SPARSELAW_BACKEND must be node, wasm or cpu, got "${v}"`);
}

/**
 * Picks the fastest available tfjs backend: tfjs-node when installed, else wasm, else cpu.
 * SPARSELAW_BACKEND=node|wasm|cpu overrides the preference. Idempotent: the first call decides.
 */
export function initBackend(preferred?: BackendPreference): Promise<BackendName> {
  chosen ??= (async () => {
    const name = await select(preferred ?? preferenceFromEnv());
    await tf.ready();
    return name;
  })();
  return chosen;
}

export function activeBackend(): string {
  return tf.getBackend() ?? 'none';
}

export function describeBackend(): string {
  const name = activeBackend();
  const note =
    name === 'tensorflow' ? 'native libtensorflow via @tensorflow/tfjs-node' : name === 'wasm' ? 'WebAssembly (@tensorflow/tfjs-backend-wasm)' : 'pure JavaScript';
  return `tfjs backend: ${name} (${note})`;
}
