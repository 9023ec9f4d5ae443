// After tsc: the bin entry must be executable, and compiled files whose source is gone (a module
// deleted or moved) are removed, so neither the tests nor the packed tarball pick up stale code.
import { chmodSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'dist/src/cli/bin.js');
if (existsSync(bin)) chmodSync(bin, 0o755);

const OUTPUT = /\.(?:js|js\.map|d\.ts|d\.ts\.map)$/;
function removeStale(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) removeStale(path);
    else if (OUTPUT.test(entry.name)) {
      const source = join(root, relative(join(root, 'dist'), path)).replace(OUTPUT, '.ts');
      if (!existsSync(source) && !existsSync(source.replace(/\.ts$/, '.mts'))) rmSync(path);
    }
  }
}
for (const top of ['src', 'test', 'examples', 'bench']) removeStale(join(root, 'dist', top));
