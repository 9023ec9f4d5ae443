import type { LawDocument } from '../export/law.js';
import { compileRow } from '../expr/compile.js';
import type { Env } from '../envs/env.js';
import { SparselawError } from '../errors.js';
import type { AgentPolicy } from './evaluate.js';

/**
 * A law document as a policy for an environment: its inputs must be among the observation and
 * parameter names and its outputs must be the action names (any order); evaluated by the compiled
 * JS kernel over the agent's input (observations, then parameters).
 */
export function lawPolicy(law: LawDocument, env: Env): AgentPolicy {
  const names = [...env.observationNames, ...env.parameterNames];
  const index = law.inputs.map((input) => {
    const i = names.indexOf(input);
    if (i < 0) {
      const params = env.parameterNames.length > 0 ? ` or a parameter (${env.parameterNames.join(', ')})` : '';
      throw new SparselawError(`the law's input "${input}" is not an observation of ${env.id} (${env.observationNames.join(', ')})${params}`);
    }
    return i;
  });
  const order = env.actionNames.map((a) => {
    const k = law.outputs.findIndex((o) => o.name === a);
    if (k < 0) throw new SparselawError(`the law has no output "${a}" (an action of ${env.id}); its outputs are ${law.outputs.map((o) => o.name).join(', ')}`);
    return k;
  });
  const extra = law.outputs.find((o) => !env.actionNames.includes(o.name));
  if (extra) throw new SparselawError(`the law's output "${extra.name}" is not an action of ${env.id} (${env.actionNames.join(', ')})`);
  const kernel = compileRow(order.map((k) => law.outputs[k]!.expr), law.inputs);
  const x = new Float64Array(law.inputs.length);
  return (input) => {
    for (let i = 0; i < index.length; i++) x[i] = input[index[i]!]!;
    const out = new Float64Array(order.length);
    kernel(x, out);
    return out;
  };
}
