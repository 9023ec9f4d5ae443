#!/usr/bin/env bash
# Packs the built package, installs the tarball in an empty project and uses it from there, as a
# user would: a library script through the main entry and subpaths (type-checked against the
# package's declarations), the subpath 'sparselaw/expr' without tfjs, and the command line
# (simulate, discover, export, report). Dependencies come from npm's cache when it holds them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball=$(npm pack --ignore-scripts --silent --pack-destination "$work" | tail -n 1)
echo "packed $tarball: $(du -k "$work/$tarball" | cut -f1) kB, $(tar -tzf "$work/$tarball" | wc -l) files"
if tar -tzf "$work/$tarball" | grep -Ev '^package/(dist/src/|schema/|README\.md$|LICENSE$|package\.json$)'; then
  echo "pack check: the files above do not belong in the package" >&2
  exit 1
fi
cd "$work"
npm init -y >/dev/null && npm pkg set type=module
if ! npm install --prefer-offline --no-audit --no-fund --loglevel=error "./$tarball" >install.log 2>&1; then
  cat install.log >&2
  echo "pack check: npm could not install the tarball (see above)" >&2
  exit 1
fi

cat > use.ts <<'TS'
import { Pendulum, collectRandomEpisodes, discoverLaws, exportLaw, type LawDocument } from 'sparselaw';
import { parse, print, simplify } from 'sparselaw/expr';
import { exportLaw as exportFromSubpath } from 'sparselaw/export';
const data = collectRandomEpisodes(new Pendulum({ g: 9.81 }), { episodes: 50, seed: 1 });
const { law }: { law: LawDocument } = discoverLaws({ columns: data.columns, n: data.n, inputs: ['sin_theta', 'theta_dot', 'torque'], targets: ['next_theta_dot'], library: 'poly:1', lambda: 'auto', seed: 1 });
const text = exportLaw(law, 'text', { digits: 3 });
if (!/0\.736 \* sin_theta/.test(text)) throw new Error(`unexpected law: ${text}`);
if (exportFromSubpath(law, 'python') === '') throw new Error('sparselaw/export gave no Python');
if (print(simplify(parse('2*x + 3*x'))) !== '5 * x') throw new Error('sparselaw/expr does not simplify');
console.log(`library from the tarball: ${text.trim()}`);
TS
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true, "skipLibCheck": true, "types": [], "outDir": "out" }, "files": ["use.ts"] }
JSON
"$root/node_modules/.bin/tsc" -p tsconfig.json
node out/use.js

# The subpath loads no tfjs: a loader hook records every package resolved.
cat > hooks.mjs <<'JS'
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) { const r = await next(specifier, context); appendFileSync('loads.txt', `${r.url}\n`); return r; }
JS
node --import 'data:text/javascript,import { register } from "node:module"; register("./hooks.mjs", "file://'"$work"'/");' \
  --input-type=module -e "import { parse } from 'sparselaw/expr'; parse('x');"
if grep -q '@tensorflow' loads.txt; then echo "pack check: sparselaw/expr loads tfjs" >&2; exit 1; fi
# CommonJS callers reach the same entries through require() of ES modules (Node >= 20.19).
node --no-warnings -e "const { parse, print } = require('sparselaw/expr'); if (print(parse('x+1')) !== 'x + 1') process.exit(1);"

bin=./node_modules/.bin/sparselaw
$bin expr "2*x + 3*x" --simplify
$bin simulate pendulum --episodes 20 --seed 1 --out sim.csv 2>/dev/null
test "$(wc -l < sim.csv)" -eq 4001
$bin discover sim.csv --inputs sin_theta,theta_dot,torque --targets next_theta_dot --library poly:1 --out law.json >/dev/null 2>&1
$bin export law.json --to c --out law.c
grep -q 'sin_theta' law.c
$bin report law.json --data sim.csv --out report.html >/dev/null 2>&1
grep -q 'katex' report.html
echo "command line from the tarball: ok (simulate, discover, export, report)"
