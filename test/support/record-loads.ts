import { register } from 'node:module';

/** Preloaded with `node --import`: installs the hooks that log every resolved module. */
register('./load-hooks.js', import.meta.url);
