import { SparselawError } from '../errors.js';
import { type Columns, DataError, getColumn } from '../library/evaluate.js';
import type { LawDocument } from './document.js';

/**
 * Binding a law to where its values come from: its inputs to data columns, or to the parts of a
 * step (state and action, observation and environment parameters); its outputs to the names a
 * caller wants in order (the next states, the actions).
 */

/** A named vector the inputs can be read from, e.g. { what: 'an observation of Pendulum-v1', names: [...] }. */
export interface InputSource {
  what: string;
  names: readonly string[];
}

/**
 * A function that fills the law's input vector from the given sources' values, in the sources'
 * order. Each input is read from the first source that names it; an input no source names is an
 * error that lists every source.
 */
export function bindInputs(law: Pick<LawDocument, 'inputs'>, sources: readonly InputSource[]): (x: Float64Array, values: readonly ArrayLike<number>[]) => void {
  const where = law.inputs.map((name) => {
    for (const [s, source] of sources.entries()) {
      const i = source.names.indexOf(name);
      if (i >= 0) return { s, i };
    }
    const listed = sources.map((source) => `${source.what} (${source.names.join(', ') || 'none'})`);
    throw new SparselawError(`the law's input "${name}" is ${listed.length > 1 ? `neither ${listed.join(' nor ')}` : `not ${listed[0] ?? 'available'}`}`);
  });
  return (x, values) => {
    for (let k = 0; k < where.length; k++) x[k] = values[where[k]!.s]![where[k]!.i]!;
  };
}

/** The data columns of the law's inputs, in input order; a missing column names the file and its columns. */
export function bindColumns(law: Pick<LawDocument, 'inputs'>, columns: Columns, source = 'the data'): Float64Array[] {
  return law.inputs.map((name) => {
    const c = getColumn(columns, name);
    if (c) return c;
    const available = columns instanceof Map ? [...columns.keys()] : Object.keys(columns);
    throw new DataError(`${source}: the law needs the input column "${name}", which the data does not have (its columns: ${available.join(', ')})`);
  });
}

/** Indices of the law's outputs named `wanted`, in that order; `why(name)` explains a missing one. */
export function bindOutputs(law: Pick<LawDocument, 'outputs'>, wanted: readonly string[], why: (name: string, index: number) => string): number[] {
  return wanted.map((name, i) => {
    const k = law.outputs.findIndex((o) => o.name === name);
    if (k < 0) throw new SparselawError(`the law has no output "${name}" (${why(name, i)}); its outputs are ${law.outputs.map((o) => o.name).join(', ')}`);
    return k;
  });
}
