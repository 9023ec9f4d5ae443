// The double integrator of double_integrator.py, a Python process speaking JSON lines, as an environment.
import { fileURLToPath } from 'node:url';
import { processEnvEntry } from 'sparselaw';

export default processEnvEntry({
  id: 'double-integrator-py',
  title: 'DoubleIntegratorPy-v0',
  description: 'the double integrator, simulated by a Python process (examples/envs/double_integrator.py)',
  command: [process.env.SPARSELAW_PYTHON ?? 'python3', fileURLToPath(new URL('./double_integrator.py', import.meta.url))],
  trainDefaults: { policy: 'poly:1:nobias', episodes: 60, warmupEpisodes: 10, updateAfterEpisodes: 10, lambda: 1e-2 },
});
