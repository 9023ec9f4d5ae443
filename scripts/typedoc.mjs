// Runs TypeDoc's command line with the TypeScript 5 compiler API it is built on (the devDependency
// "typescript-5"): the project's own "typescript" is the native TypeScript 7 compiler, which has no
// such API. A module-resolution hook hands TypeDoc "typescript-5" wherever it imports "typescript".
import { createRequire, register } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const hook = 'export async function resolve(specifier, context, next) { return next(specifier === "typescript" ? "typescript-5" : specifier, context); }';
register(`data:text/javascript,${encodeURIComponent(hook)}`, import.meta.url);
// TypeDoc's package does not export its command line; its bin script runs this file.
const typedocDir = dirname(createRequire(import.meta.url).resolve('typedoc/package.json'));
await import(pathToFileURL(join(typedocDir, 'dist/cli.js')).href);
