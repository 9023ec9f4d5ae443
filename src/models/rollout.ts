import type { LawDocument } from '../law/document.js';
import { bindInputs, bindOutputs } from '../law/bind.js';
import { compileRow } from '../expr/compile.js';
import { sampleTrajectory } from '../systems/rk4.js';
import { SparselawError } from '../errors.js';

/**
 * Simulation with a learned model. A discrete-time law maps (state, action) to next_<state>; a
 * continuous-time law maps the state (and inputs held fixed) to <state>_dot.
 */
function stateOutputs(law: LawDocument, state: readonly string[], name: (s: string) => string): number[] {
  return bindOutputs(law, state.map(name), (_output, i) => `for state "${state[i]}"`);
}

function inputIndex(law: LawDocument, state: readonly string[], actions: readonly string[]): (x: Float64Array, s: ArrayLike<number>, a: ArrayLike<number>) => void {
  const fill = bindInputs(law, [
    { what: 'a state', names: state },
    { what: 'an action', names: actions },
  ]);
  return (x, s, a) => fill(x, [s, a]);
}

/**
 * Steps a discrete-time model from `initial` with the given actions (one row per step); returns
 * the states visited, initial state first ((steps + 1) × states, row-major).
 */
export function rolloutDiscrete(
  law: LawDocument,
  options: { state: readonly string[]; actions?: readonly string[]; initial: ArrayLike<number>; controls: ArrayLike<number>[] | ((step: number, state: Float64Array) => ArrayLike<number>); steps: number },
): Float64Array {
  const actions = options.actions ?? [];
  const order = stateOutputs(law, options.state, (s) => `next_${s}`);
  const kernel = compileRow(order.map((k) => law.outputs[k]!.expr), law.inputs);
  const fill = inputIndex(law, options.state, actions);
  const d = options.state.length;
  const out = new Float64Array((options.steps + 1) * d);
  const x = new Float64Array(law.inputs.length);
  let s = Float64Array.from(options.initial);
  out.set(s, 0);
  for (let t = 0; t < options.steps; t++) {
    const a = typeof options.controls === 'function' ? options.controls(t, s) : options.controls[t];
    if (actions.length > 0 && !a) throw new SparselawError(`no action for step ${t}`);
    fill(x, s, a ?? []);
    const next = new Float64Array(d);
    kernel(x, next);
    if (!next.every(Number.isFinite)) throw new SparselawError(`the model diverged at step ${t + 1} (state ${Array.from(next).join(', ')})`);
    s = next;
    out.set(s, (t + 1) * d);
  }
  return out;
}

/** Integrates a continuous-time law (outputs <state>_dot) with RK4; returns sample times and states. */
export function simulateContinuous(law: LawDocument, options: { state: readonly string[]; initial: readonly number[]; dt: number; tEnd: number; substeps?: number }) {
  const order = stateOutputs(law, options.state, (s) => `${s}_dot`);
  const kernel = compileRow(order.map((k) => law.outputs[k]!.expr), law.inputs);
  const fill = inputIndex(law, options.state, []);
  const x = new Float64Array(law.inputs.length);
  return sampleTrajectory(
    (_t, y, dy) => {
      fill(x, y, []);
      kernel(x, dy);
    },
    options.initial,
    { dt: options.dt, tEnd: options.tEnd, substeps: options.substeps },
  );
}
