import type { LawDocument } from '../law/document.js';
import { compileRow } from '../expr/compile.js';
import type { Env } from './env.js';
import { bindInputs, bindOutputs } from '../law/bind.js';

/**
 * A law document as a policy for an environment: its inputs must be the observation names and
 * its outputs the action names (any order); evaluated by the compiled JS kernel. Environment
 * parameters (mu) among the inputs are read from the environment at every step.
 */
export function lawPolicy(law: LawDocument, env: Env): (obs: ArrayLike<number>, current?: Env) => Float64Array {
  const order = bindOutputs(law, env.actionNames, () => `the action of ${env.id}`);
  const kernel = compileRow(order.map((k) => law.outputs[k]!.expr), law.inputs);
  const fill = bindInputs(law, [
    { what: `an observation of ${env.id}`, names: env.observationNames },
    { what: `a parameter of ${env.id}`, names: env.parameterNames },
  ]);
  const x = new Float64Array(law.inputs.length);
  // Parameters come from the environment being stepped (they may change per episode).
  return (obs, current = env) => {
    fill(x, [obs, current.parameters()]);
    const out = new Float64Array(order.length);
    kernel(x, out);
    return out;
  };
}
