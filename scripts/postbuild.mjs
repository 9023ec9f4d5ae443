// The bin entry must be executable after tsc rewrites it.
import { chmodSync, existsSync } from 'node:fs';
const bin = new URL('../dist/src/cli/bin.js', import.meta.url);
if (existsSync(bin)) chmodSync(bin, 0o755);
