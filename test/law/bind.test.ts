import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bindColumns, bindInputs, bindOutputs } from '../../src/law/bind.js';

const SEED = Number(process.env.SPARSELAW_TEST_SEED ?? 20261125);

test('bindInputs reads each input from the first source that names it', () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'mu'), { minLength: 1, maxLength: 6 }), fc.array(fc.double({ noNaN: true }), { minLength: 6, maxLength: 6 }), (inputs, values) => {
      const state = ['a', 'b', 'c'];
      const other = ['d', 'e', 'mu'];
      const fill = bindInputs({ inputs }, [{ what: 'a state', names: state }, { what: 'a parameter', names: other }]);
      const x = new Float64Array(inputs.length);
      fill(x, [values.slice(0, 3), values.slice(3)]);
      inputs.forEach((name, k) => {
        const expected = state.includes(name) ? values[state.indexOf(name)]! : values[3 + other.indexOf(name)]!;
        assert.ok(Object.is(x[k], expected));
      });
    }),
    { seed: SEED, numRuns: 100 },
  );
});

test('binding errors name what is missing and what there is', () => {
  assert.throws(() => bindInputs({ inputs: ['q'] }, [{ what: 'a state', names: ['x'] }, { what: 'an action', names: [] }]), /the law's input "q" is neither a state \(x\) nor an action \(none\)/);
  assert.throws(() => bindInputs({ inputs: ['q'] }, [{ what: 'an observation of Pendulum-v1', names: ['cos_theta'] }]), /the law's input "q" is not an observation of Pendulum-v1 \(cos_theta\)/);
  assert.throws(() => bindColumns({ inputs: ['x', 'q'] }, new Map([['x', new Float64Array(1)], ['y', new Float64Array(1)]]), 'data.csv'), /data\.csv: the law needs the input column "q", which the data does not have \(its columns: x, y\)/);
  const law = { outputs: [{ name: 'next_x', expr: null as never, terms: [] }] };
  assert.deepEqual(bindOutputs(law, ['next_x'], () => ''), [0]);
  assert.throws(() => bindOutputs(law, ['torque'], () => 'the action of Pendulum-v1'), /the law has no output "torque" \(the action of Pendulum-v1\); its outputs are next_x/);
});
