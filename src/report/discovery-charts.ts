import type { LawDocument } from '../law/document.js';
import { type ChartSpec, strided } from './charts.js';

/** Charts of a law discovered from data: its lambda front, and the law against the data. */

const WIDTH = 290;
const HEIGHT = 200;

/** The lambda chosen for output k, when the law was chosen on a path. */
function chosenLambda(law: LawDocument, k: number): number | undefined {
  const m = law.metrics;
  if (m?.kind !== 'discovery') return undefined;
  return Array.isArray(m.lambda) ? m.lambda[k] : m.lambda;
}

/**
 * Per output: terms against validation MSE (log scale) along the lambda path, the chosen point
 * ringed. Points with zero error cannot sit on a log axis; they are left out and counted in the caption.
 */
export function frontCharts(law: LawDocument): ChartSpec[] {
  const front = law.front;
  if (!front || front.length === 0) return [];
  return law.outputs.map((output, k) => {
    const chosen = chosenLambda(law, k);
    const points = front.map((pt) => ({ lambda: pt.lambda, terms: pt.terms[k]!, mse: pt.validationMse[k]!, chosen: pt.lambda === chosen }));
    const shown = points.filter((p) => p.mse > 0);
    const picked = shown.filter((p) => p.chosen);
    const zero = points.length - shown.length;
    const x = { field: 'terms', type: 'quantitative', title: 'terms', axis: { tickMinStep: 1 } };
    const y = { field: 'mse', type: 'quantitative', title: 'validation MSE', scale: { type: 'log' } };
    return {
      id: `front-${output.name}`,
      title: `Lambda front of ${output.name}`,
      caption:
        `${front.length} values of lambda; ` +
        (picked.length > 0 ? `the chosen law (ringed): ${picked[0]!.terms} terms, lambda ${picked[0]!.lambda.toExponential(2)}` : 'the chosen law is not on the path') +
        (zero > 0 ? `; ${zero} point${zero === 1 ? '' : 's'} with zero validation error not shown (log scale)` : ''),
      marks: { line: shown.length > 0 ? 1 : 0, symbol: shown.length + picked.length },
      spec: {
        width: WIDTH,
        height: HEIGHT,
        data: { values: shown },
        layer: [
          { mark: { type: 'line', color: '#9bb7d4', strokeWidth: 1 }, encoding: { x, y, order: { field: 'lambda', type: 'quantitative' } } },
          {
            mark: { type: 'point', filled: true, size: 36, color: '#1f6fb2' },
            encoding: { x, y, tooltip: [{ field: 'lambda', format: '.3e' }, { field: 'terms' }, { field: 'mse', format: '.3e' }] },
          },
          { transform: [{ filter: 'datum.chosen' }], mark: { type: 'point', size: 260, strokeWidth: 2.5, color: '#d1495b' }, encoding: { x, y } },
        ],
      },
    };
  });
}

const MAX_SCATTER = 500;

/** Per output: the law's prediction against the target in the data (a thinned scatter, with y = x). */
export function predictionCharts(law: LawDocument, targets: readonly Float64Array[], prediction: Float64Array, n: number, targetLabel: (k: number) => string): ChartSpec[] {
  const m = law.outputs.length;
  const rows = strided(n, MAX_SCATTER);
  return law.outputs.map((output, k) => {
    const values = rows.map((r) => ({ data: targets[k]![r]!, law: prediction[r * m + k]! }));
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
      lo = Math.min(lo, v.data, v.law);
      hi = Math.max(hi, v.data, v.law);
    }
    let sq = 0;
    for (let r = 0; r < n; r++) sq += (prediction[r * m + k]! - targets[k]![r]!) ** 2;
    return {
      id: `prediction-${output.name}`,
      title: `${output.name}: the law against the data`,
      caption: `MSE ${(sq / n).toExponential(3)} over all ${n} rows; ${values.length} rows shown; the line is law = data`,
      marks: { symbol: values.length, line: 1 },
      spec: {
        width: 260,
        height: 260,
        layer: [
          {
            data: { values: [{ data: lo, law: lo }, { data: hi, law: hi }] },
            mark: { type: 'line', color: '#999', strokeDash: [4, 3] },
            encoding: { x: { field: 'data', type: 'quantitative' }, y: { field: 'law', type: 'quantitative' } },
          },
          {
            data: { values },
            mark: { type: 'point', filled: true, size: 12, opacity: 0.5, color: '#1f6fb2' },
            encoding: {
              x: { field: 'data', type: 'quantitative', title: `${targetLabel(k)} (data)`, scale: { zero: false } },
              y: { field: 'law', type: 'quantitative', title: `${output.name} (law)`, scale: { zero: false } },
            },
          },
        ],
      },
    };
  });
}

/**
 * A continuous-time law integrated from the data's first state, against the data, one chart per
 * state (the simulation dashed).
 */
export function simulationCharts(states: readonly string[], time: Float64Array, data: readonly Float64Array[], simTime: Float64Array, simulated: readonly Float64Array[], caption: string): ChartSpec[] {
  const rowsData = strided(time.length, 400);
  const rowsSim = strided(simTime.length, 400);
  return states.map((state, i) => {
    const values = [
      ...rowsData.map((r) => ({ t: time[r]!, value: data[i]![r]!, series: 'data' })),
      ...rowsSim.map((r) => ({ t: simTime[r]!, value: simulated[i]![r]!, series: 'simulated law' })),
    ];
    return {
      id: `simulation-${state}`,
      title: `${state}: the law simulated from the data's first state`,
      caption: `data solid, the simulated law dashed; ${caption}`,
      marks: { line: 2 },
      spec: {
        width: 560,
        height: 160,
        data: { values },
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'time' },
          y: { field: 'value', type: 'quantitative', title: state },
          color: { field: 'series', type: 'nominal', title: null, sort: ['data', 'simulated law'] },
          strokeDash: { field: 'series', type: 'nominal', legend: null, sort: ['data', 'simulated law'], scale: { range: [[1, 0], [5, 3]] } },
        },
      },
    };
  });
}
