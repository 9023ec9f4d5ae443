import type { MainModule, MjModel } from 'mujoco-js';
import { SparselawError } from '../../errors.js';

/**
 * The MuJoCo WebAssembly module (mujoco-js), loaded on first use. It is about 11 MB of JavaScript
 * with the wasm binary inlined and takes a few hundred milliseconds to instantiate, so nothing
 * imports it statically: `loadMujoco()` is awaited by whoever is about to create a MuJoCo
 * environment (entry.prepare()), once per thread; every later call returns the same instance.
 */
export type Mujoco = MainModule;

let pending: Promise<Mujoco> | undefined;
let ready: Mujoco | undefined;
const models = new Map<string, MjModel>();
const MODEL_DIR = '/sparselaw-models';

export function loadMujoco(): Promise<Mujoco> {
  pending ??= import('mujoco-js').then(async ({ default: factory }) => {
    const mj = await factory();
    mj.FS.mkdir(MODEL_DIR);
    ready = mj;
    return mj;
  });
  return pending;
}

/** The loaded module, or a one-line error telling the caller what to await first. */
export function loadedMujoco(task: string): Mujoco {
  if (!ready) {
    throw new SparselawError(
      `${task} runs on MuJoCo's WebAssembly module, which is not loaded in this thread: await entry.prepare() (or prepareEnvEntry(entry)) before entry.create()`,
    );
  }
  return ready;
}

/** True once loadMujoco() has finished in this thread (tests of lazy loading look at it). */
export function mujocoIsLoaded(): boolean {
  return ready !== undefined;
}

/**
 * The compiled model of a task, compiled once per thread from its MJCF text (written to the
 * module's in-memory file system, where the loader reads it). Models are read-only while stepping,
 * so every environment of a task shares one and owns only its MjData.
 */
export function compiledModel(mj: Mujoco, name: string, xml: string): MjModel {
  const cached = models.get(name);
  if (cached) return cached;
  const path = `${MODEL_DIR}/${name}.xml`;
  mj.FS.writeFile(path, xml);
  let model: MjModel;
  try {
    model = mj.MjModel.loadFromXML(path);
  } catch (err) {
    const message = err instanceof Error && err.message ? err.message : String(err);
    throw new Error(`MuJoCo could not compile the ${name} model: ${message}`);
  }
  models.set(name, model);
  return model;
}
