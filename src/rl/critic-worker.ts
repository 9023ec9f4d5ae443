/**
 * Worker thread of TwinCritics: one critic, its target and its Adam state, driven by the sequence
 * counters in the shared control array (see twin-critics.ts for the protocol).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { XnnKernels } from '../nn/xnn.js';
import { CriticCore, SharedIo, criticSizes } from './critic-core.js';
import { CTL, CMD, signal, waitFor, type WorkerData } from './twin-critics.js';

const data = workerData as WorkerData;
const ctl = new Int32Array(data.ctl);
const i = data.index;
const sizes = criticSizes(data.config);
let netSize = 0;
for (let l = 0; l + 1 < sizes.length; l++) netSize += sizes[l]! * sizes[l + 1]! + sizes[l + 1]!;
const io = new SharedIo(data.io, data.config, netSize);
const core = new CriticCore(await XnnKernels.load(), i, data.config, io);
parentPort!.postMessage('ready');

let seen = 0;
try {
  for (;;) {
    Atomics.wait(ctl, CTL.seq, seen);
    const seq = Atomics.load(ctl, CTL.seq);
    if (seq === seen) continue;
    seen = seq;
    const cmd = ctl[CTL.cmd];
    const rows = ctl[CTL.rows]!;
    if (cmd === CMD.update) {
      const actorStep = ctl[CTL.actorStep] === 1;
      // Busy time (not waiting) per thread, for the benchmark's account of what bounds an update.
      let t0 = performance.now();
      let busy = 0;
      core.forwardCurrent(rows);
      busy += performance.now() - t0;
      waitFor(ctl, CTL.nextAction, seq);
      t0 = performance.now();
      core.forwardTarget(rows);
      busy += performance.now() - t0;
      signal(ctl, i === 0 ? CTL.target0 : CTL.target1, seq);
      waitFor(ctl, i === 0 ? CTL.target1 : CTL.target0, seq);
      t0 = performance.now();
      io.scalars[i] = core.train(rows, actorStep);
      busy += performance.now() - t0;
      if (i === 0 && actorStep) {
        waitFor(ctl, CTL.piAction, seq);
        t0 = performance.now();
        io.scalars[2] = core.actionGradient(rows);
        busy += performance.now() - t0;
        signal(ctl, CTL.grad, seq);
      }
      io.busy[i] = io.busy[i]! + busy;
    } else if (cmd === CMD.save) core.save();
    else if (cmd === CMD.load) core.load();
    signal(ctl, i === 0 ? CTL.done0 : CTL.done1, seq);
    if (cmd === CMD.stop) break;
  }
} catch (e) {
  Atomics.store(ctl, CTL.failed, 1);
  for (let j = 0; j < CTL.size; j++) Atomics.notify(ctl, j);
  throw e;
}
