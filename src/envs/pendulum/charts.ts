import type { RolloutChartFunction, RolloutTrace } from '../../report/rollout-charts.js';
import { breakAtWraps, lineChart, returnText, series } from '../../report/rollout-charts.js';

/**
 * Pendulum-v1: the angle (atan2(sin, cos), so 0 is upright), the angular speed and the torque
 * against time; the uncontrolled swing, when given, dashed beside the controlled angle.
 */
export const pendulumRolloutCharts: RolloutChartFunction = (trace, uncontrolled) => {
  const index = (name: string) => {
    const i = trace.observationNames.indexOf(name);
    if (i < 0) throw new Error(`pendulum trace without observation "${name}"`);
    return i;
  };
  const [c, s, w] = [index('cos_theta'), index('sin_theta'), index('theta_dot')];
  const angle = (t: RolloutTrace, label: string) => breakAtWraps(series(t, t.observations, ['angle'], [0], () => label, (row) => Math.atan2(row[s]!, row[c]!)));
  return [
    lineChart(
      'rollout-angle',
      'Angle (0 = upright)',
      'time [s]',
      'angle [rad]',
      [...angle(trace, 'with the law'), ...(uncontrolled ? angle(uncontrolled, 'no torque') : [])],
      returnText(trace),
      'no torque',
    ),
    lineChart('rollout-speed', 'Angular speed', 'time [s]', 'theta_dot [rad/s]', series(trace, trace.observations, trace.observationNames, [w])),
    lineChart('rollout-torque', 'Torque', 'time [s]', 'torque', series(trace, trace.actions, trace.actionNames, trace.actionNames.map((_, i) => i))),
  ];
};
