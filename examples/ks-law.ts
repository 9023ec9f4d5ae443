/**
 * A shipped closed-form control law for the Kuramoto-Sivashinsky PDE, run in closed loop: one
 * episode at a few mu, against no control. The full comparison with the baselines is the command
 * `sparselaw compare ks --sparse LAW`.
 * Run: npm run build && node dist/examples/ks-law.js [LAW.json]   (default: examples/laws/ks-gain-schedule.json)
 */
import { loadLaw, exportLaw, evaluateKsPolicy, KuramotoSivashinsky, lawPolicy, formatTable } from 'sparselaw';

const path = process.argv[2] ?? 'examples/laws/ks-gain-schedule.json';
const law = loadLaw(path);
console.log(`${path}:\n${exportLaw({ ...law, outputs: law.outputs.slice(0, 2) }, 'text', { digits: 3 })}...\n`);

// A law's inputs are the sensors m1..m8 and mu; evaluateKsPolicy hands the policy both.
const policy = lawPolicy(law, new KuramotoSivashinsky());
const act = (obs: Float64Array, mu: number) => policy(Float64Array.from([...obs, mu]));
const none = () => new Float64Array(8);
const rows = [0, 0.1, -0.2].map((mu) => [String(mu), evaluateKsPolicy(none, mu).return.toFixed(1), evaluateKsPolicy(act, mu).return.toFixed(1)]);
console.log(formatTable(['mu', 'return without control', 'return with the law'], rows));
