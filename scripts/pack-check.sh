#!/usr/bin/env bash
# Packs the built package, installs the tarball in an empty project and uses it from there, as a
# user would: a library script through the main entry and a subpath, and the command line.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball=$(npm pack --ignore-scripts --silent --pack-destination "$work" | tail -n 1)
echo "packed $tarball: $(du -k "$work/$tarball" | cut -f1) kB, $(tar -tzf "$work/$tarball" | wc -l) files"
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error "./$tarball" >/dev/null
cat > use.mjs <<'JS'
import { Pendulum, collectRandomEpisodes, discoverLaws, exportLaw } from 'sparselaw';
import { parse, print, simplify } from 'sparselaw/expr';
const data = collectRandomEpisodes(new Pendulum({ g: 9.81 }), { episodes: 50, seed: 1 });
const { law } = discoverLaws({ columns: data.columns, n: data.n, inputs: ['sin_theta', 'theta_dot', 'torque'], targets: ['next_theta_dot'], library: 'poly:1', lambda: 'auto', seed: 1 });
const text = exportLaw(law, 'text', { digits: 3 });
if (!/0\.736 \* sin_theta/.test(text)) throw new Error(`unexpected law: ${text}`);
if (print(simplify(parse('2*x + 3*x'))) !== '5 * x') throw new Error('sparselaw/expr does not simplify');
console.log(`library from the tarball: ${text.trim()}`);
JS
node use.mjs
./node_modules/.bin/sparselaw expr "2*x + 3*x" --simplify
./node_modules/.bin/sparselaw simulate pendulum --episodes 2 --out sim.csv 2>/dev/null
test "$(wc -l < sim.csv)" -eq 401
echo "command line from the tarball: ok"
