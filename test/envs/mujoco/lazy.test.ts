import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../../../src/index.js', import.meta.url));
const cli = fileURLToPath(new URL('../../../src/cli/bin.js', import.meta.url));

/**
 * A child process whose module resolution refuses 'mujoco-js' (a resolve hook): anything that
 * imports MuJoCo fails there, so the script shows exactly which steps load it.
 */
function withMujocoRefused(script: string): string {
  const hook = `data:text/javascript,${encodeURIComponent(
    'export async function resolve(s, c, next) { if (s === "mujoco-js") throw new Error("mujoco-js refused"); return next(s, c); }',
  )}`;
  const prelude = `import { register } from 'node:module'; register(${JSON.stringify(hook)});`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', `${prelude}\n${script}`], { encoding: 'utf8' });
}

test('importing the package and listing environments does not load MuJoCo; preparing a MuJoCo entry does', () => {
  const out = withMujocoRefused(`
    const pkg = await import(${JSON.stringify(main)});
    const hopper = pkg.getEnvEntry('hopper');
    console.log('listed', pkg.ENVIRONMENTS.length, hopper.title);
    try { hopper.create({}); } catch (e) { console.log('create:', e.message); }
    const pendulum = pkg.getEnvEntry('pendulum').create({});
    console.log('pendulum', pendulum.reset({ seed: 1 }).length);
    try { await hopper.prepare(); console.log('prepared'); } catch (e) { console.log('prepare:', e.message); }
  `);
  assert.match(out, /^listed \d+ Hopper-v5$/m);
  assert.match(out, /^create: Hopper-v5 runs on MuJoCo's WebAssembly module, which is not loaded in this thread: await entry\.prepare\(\)/m);
  assert.match(out, /^pendulum 3$/m);
  // The hook works: the only import of mujoco-js is the one prepare() makes.
  assert.match(out, /^prepare: mujoco-js refused$/m);
});

test('the command line starts without loading MuJoCo', () => {
  const out = withMujocoRefused(`process.argv = [process.argv[0], ${JSON.stringify(cli)}, '--help']; await import(${JSON.stringify(cli)});`);
  assert.match(out, /Usage/i);
});
