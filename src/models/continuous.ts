import { estimateDerivative } from '../data/derivatives.js';
import { type Columns, getColumn, DataError } from '../library/evaluate.js';

export const DERIVATIVE_METHODS = ['auto', 'savitzky-golay', 'finite-difference'] as const;
export type DerivativeMethod = (typeof DERIVATIVE_METHODS)[number];

/** Name of the time derivative of an input in a continuous-time law: x -> x_dot. */
export const derivativeName = (input: string): string => `${input}_dot`;

/**
 * Time derivatives of the inputs, the targets of a continuous-time model. With an episode column
 * each episode is differentiated on its own, so no difference straddles two trajectories.
 */
export function timeDerivativeColumns(
  columns: Columns,
  n: number,
  time: string,
  inputs: readonly string[],
  method: DerivativeMethod,
  source = 'data',
): { names: string[]; columns: Map<string, Float64Array> } {
  const t = getColumn(columns, time);
  if (!t) throw new DataError(`${source}: no time column "${time}"`);
  const episode = getColumn(columns, 'episode');
  const segments: [number, number][] = [];
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && (!episode || episode[end] === episode[start])) end++;
    segments.push([start, end]);
    start = end;
  }
  const names = inputs.map(derivativeName);
  const out = new Map<string, Float64Array>();
  inputs.forEach((input, i) => {
    const x = getColumn(columns, input);
    if (!x) throw new DataError(`${source}: no input column "${input}"`);
    const d = new Float64Array(n);
    for (const [a, b] of segments) {
      try {
        d.set(estimateDerivative(t.subarray(a, b), x.subarray(a, b), method), a);
      } catch (err) {
        if (err instanceof Error) throw new DataError(`${source}: column "${input}"${episode ? `, episode ${episode[a]}` : ''} (data rows ${a + 1}-${b}): ${err.message}`);
        throw err;
      }
    }
    out.set(names[i]!, d);
  });
  return { names, columns: out };
}
