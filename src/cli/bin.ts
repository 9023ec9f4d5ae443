#!/usr/bin/env node
import { main } from './main.js';

main(process.argv.slice(2)).then((code) => {
  // A command may set a non-zero exit code itself (an interrupted training exits 130).
  process.exitCode = code !== 0 ? code : (process.exitCode ?? 0);
});
