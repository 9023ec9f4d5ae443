import type { LawDocument } from '../law/document.js';
import { compileRow } from '../expr/compile.js';
import type { Env } from '../envs/env.js';
import { SparselawError } from '../errors.js';
import { bindInputs, bindOutputs } from '../law/bind.js';
import type { AgentPolicy } from './evaluate.js';

/**
 * A law document as a policy for an environment: its inputs must be among the observation and
 * parameter names and its outputs must be the action names (any order); evaluated by the compiled
 * JS kernel over the agent's input (observations, then parameters).
 */
export function lawPolicy(law: LawDocument, env: Env): AgentPolicy {
  const sources = [{ what: `an observation of ${env.id}`, names: env.observationNames }];
  if (env.parameterNames.length > 0) sources.push({ what: `a parameter of ${env.id}`, names: env.parameterNames });
  const fill = bindInputs(law, sources);
  const order = bindOutputs(law, env.actionNames, () => `an action of ${env.id}`);
  const extra = law.outputs.find((o) => !env.actionNames.includes(o.name));
  if (extra) throw new SparselawError(`the law's output "${extra.name}" is not an action of ${env.id} (${env.actionNames.join(', ')})`);
  const kernel = compileRow(order.map((k) => law.outputs[k]!.expr), law.inputs);
  const o = env.observationNames.length;
  const x = new Float64Array(law.inputs.length);
  return (input) => {
    fill(x, [input, Array.prototype.slice.call(input, o) as number[]]);
    const out = new Float64Array(order.length);
    kernel(x, out);
    return out;
  };
}
