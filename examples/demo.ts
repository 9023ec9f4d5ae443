/**
 * The main demo: one law through the whole expression core — parse, simplify, differentiate,
 * evaluate three ways, and export as text, LaTeX, JavaScript, C and JSON.
 * Run: npm run demo
 */
import * as tf from '@tensorflow/tfjs';
import { parse } from '../src/expr/parse.js';
import { print } from '../src/expr/print.js';
import { simplify } from '../src/expr/simplify.js';
import { derivative } from '../src/expr/derivative.js';
import { interpret } from '../src/expr/interpret.js';
import { compileRow } from '../src/expr/compile.js';
import { toTensor } from '../src/expr/tfjs.js';
import { latexEquation } from '../src/export/latex.js';
import { jsModuleSource } from '../src/export/js.js';
import { cSource } from '../src/export/c.js';
import { exprDocument } from '../src/export/json.js';
import { initBackend, describeBackend } from '../src/backend.js';

await initBackend();
const inputs = ['theta_dot', 'sin_theta', 'torque'];
const raw = parse('theta_dot + 0.05 * (3 * 9.81 / 2 * sin_theta + 3 * torque) + 0 * theta_dot^2', { variables: inputs });
const law = simplify(raw, { digits: 12 });
console.log('Pendulum-v1 velocity update (g = 9.81, dt = 0.05)');
console.log(`  as written:  ${print(raw)}`);
console.log(`  simplified:  ${print(law)}`);
console.log(`  d/d(sin_theta): ${print(derivative(law, 'sin_theta'))}`);

const at = { theta_dot: 0.5, sin_theta: Math.sin(1), torque: -1 };
const row = new Float64Array(1);
compileRow([law], inputs)(inputs.map((v) => at[v as keyof typeof at]), row);
const viaTf = tf.tidy(() => toTensor(law, Object.fromEntries(Object.entries(at).map(([k, v]) => [k, tf.scalar(v)]))).dataSync()[0]!);
console.log(`\nAt ${JSON.stringify(at)}:`);
console.log(`  interpreter ${interpret(law, at)}\n  compiled JS ${row[0]}\n  tfjs        ${viaTf}  (${describeBackend()})`);

console.log('\nLaTeX:\n  ' + latexEquation("theta_dot'", law));
console.log('\nJavaScript module:\n' + jsModuleSource(law, inputs));
console.log('C:\n' + cSource(law, inputs, { name: 'theta_dot_next' }));
console.log('JSON:\n' + JSON.stringify(exprDocument(law, inputs)));
