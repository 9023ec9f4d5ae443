import type { LawDocument } from '../law/document.js';
import type { Library } from '../library/index.js';
import { parse } from '../expr/parse.js';
import { compileRow, compileScalar, type RowKernel } from '../expr/compile.js';
import { SparselawError } from '../errors.js';
import { Rng } from '../util/rng.js';
import { actionAffine, type ActorSpec } from './actor.js';

type LawStartSpec = Pick<ActorSpec, 'inputNames' | 'actionNames' | 'inputScale' | 'actionLow' | 'actionHigh'>;

/**
 * The sparse actor's weights (p×a, multiplying the library terms of s / scale) that reproduce a law
 * document written as centre + half * tanh(sum of its terms table): each table entry is matched to
 * the library term it is proportional to, and the law's own expression is then checked against the
 * weights at random inputs, so a table that does not describe the expression is refused. Pure (no
 * tfjs), so a command can check a start law before any work.
 */
export function lawStartWeights(law: LawDocument, library: Library, spec: LawStartSpec, source = 'the start law'): Float64Array {
  const names = spec.inputNames;
  const unknownInput = law.inputs.find((n) => !names.includes(n));
  if (unknownInput !== undefined) throw new SparselawError(`${source}: input "${unknownInput}" is not an input of the agent (${names.join(', ')})`);
  const missing = spec.actionNames.find((n) => !law.outputs.some((o) => o.name === n));
  if (missing !== undefined) throw new SparselawError(`${source}: no output "${missing}" (the actions are ${spec.actionNames.join(', ')})`);
  const extra = law.outputs.find((o) => !spec.actionNames.includes(o.name));
  if (extra) throw new SparselawError(`${source}: output "${extra.name}" is not an action (${spec.actionNames.join(', ')})`);

  // Positive probe points: two distinct monomials (or any two non-proportional terms) give ratios
  // that differ at some point; positive values keep every ratio finite for polynomial terms.
  const rng = Rng.seeded(12345);
  const probes = Array.from({ length: 4 }, () => Float64Array.from(names, () => rng.range(0.5, 1.5)));
  const libraryRow = compileRow(library.terms, library.inputs);
  const libraryAt = probes.map((x) => {
    const out = new Float64Array(library.terms.length);
    libraryRow(Float64Array.from(x, (v, i) => v / spec.inputScale[i]!), out);
    return out;
  });
  const p = library.terms.length;
  const a = spec.actionNames.length;
  const weights = new Float64Array(p * a);
  spec.actionNames.forEach((action, k) => {
    const output = law.outputs.find((o) => o.name === action)!;
    for (const entry of output.terms) {
      const where = `${source}: ${action}, term "${entry.term}"`;
      let term;
      try {
        term = compileScalar(parse(entry.term), names);
      } catch (e) {
        throw new SparselawError(`${where}: ${(e as Error).message}`);
      }
      const values = probes.map((x) => term(x));
      const j = matchTerm(values, libraryAt, p);
      if (j === undefined) throw new SparselawError(`${where} is not a term of the library ${library.spec}`);
      if (weights[j * a + k] !== 0) throw new SparselawError(`${where} repeats a term listed before it`);
      weights[j * a + k] = (entry.coefficient * values[0]!) / libraryAt[0]![j]!;
    }
  });
  checkExpressions(law, libraryRow, p, spec, weights, source);
  return weights;
}

/** The library term proportional to the law term at every probe point. */
function matchTerm(values: readonly number[], libraryAt: readonly Float64Array[], p: number): number | undefined {
  for (let j = 0; j < p; j++) {
    const ratio = libraryAt[0]![j]! / values[0]!;
    if (!Number.isFinite(ratio) || ratio === 0) continue;
    if (values.every((v, i) => Math.abs(libraryAt[i]![j]! / v - ratio) <= 1e-9 * Math.abs(ratio))) return j;
  }
  return undefined;
}

function checkExpressions(law: LawDocument, libraryRow: RowKernel, p: number, spec: LawStartSpec, weights: Float64Array, source: string): void {
  const names = spec.inputNames;
  const { centre, half } = actionAffine(spec);
  const theta = new Float64Array(p);
  const a = spec.actionNames.length;
  const rng = Rng.seeded(54321);
  const outputs = spec.actionNames.map((name) => compileScalar(law.outputs.find((o) => o.name === name)!.expr, names));
  for (let probe = 0; probe < 16; probe++) {
    // Inputs of the order of their scale, where a control law works, and small enough that tanh is not saturated everywhere.
    const x = Float64Array.from(names, (_, i) => rng.range(-0.5, 0.5) * spec.inputScale[i]!);
    libraryRow(Float64Array.from(x, (v, i) => v / spec.inputScale[i]!), theta);
    spec.actionNames.forEach((name, k) => {
      let s = 0;
      for (let j = 0; j < theta.length; j++) s += weights[j * a + k]! * theta[j]!;
      const expected = centre[k]! + half[k]! * Math.tanh(s);
      const got = outputs[k]!(x);
      if (!(Math.abs(got - expected) <= 1e-9 * Math.max(1, Math.abs(half[k]!)))) {
        throw new SparselawError(
          `${source}: ${name}'s expression is not ${half[k] === 1 ? '' : `${half[k]} * `}tanh(sum of its terms table)${centre[k] === 0 ? '' : ` + ${centre[k]}`} ` +
            `(at ${names.map((n, i) => `${n} = ${x[i]!.toPrecision(4)}`).join(', ')} it gives ${got}, the table ${expected}); only such a law can start a sparse actor`,
        );
      }
    });
  }
}
