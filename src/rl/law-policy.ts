import type { LawDocument } from '../export/law.js';
import { compileRow } from '../expr/compile.js';
import type { Env } from './env.js';
import { SparselawError } from '../errors.js';

/**
 * A law document as a policy for an environment: its inputs must be the observation names and
 * its outputs the action names (any order); evaluated by the compiled JS kernel. Environment
 * parameters (mu) among the inputs are read from the environment at every step.
 */
export function lawPolicy(law: LawDocument, env: Env): (obs: ArrayLike<number>, current?: Env) => Float64Array {
  for (const input of law.inputs) {
    if (!env.observationNames.includes(input) && !env.parameterNames.includes(input)) {
      throw new SparselawError(`the law's input "${input}" is not an observation of ${env.id} (${env.observationNames.join(', ')})`);
    }
  }
  const order = env.actionNames.map((a) => {
    const k = law.outputs.findIndex((o) => o.name === a);
    if (k < 0) throw new SparselawError(`the law has no output "${a}" (the action of ${env.id}); its outputs are ${law.outputs.map((o) => o.name).join(', ')}`);
    return k;
  });
  const kernel = compileRow(order.map((k) => law.outputs[k]!.expr), law.inputs);
  const index = law.inputs.map((name) => env.observationNames.indexOf(name));
  const x = new Float64Array(law.inputs.length);
  // Parameters come from the environment being stepped (they may change per episode).
  return (obs, current = env) => {
    const params = current.parameters();
    law.inputs.forEach((name, i) => {
      x[i] = index[i]! >= 0 ? obs[index[i]!]! : params[env.parameterNames.indexOf(name)]!;
    });
    const out = new Float64Array(order.length);
    kernel(x, out);
    return out;
  };
}
