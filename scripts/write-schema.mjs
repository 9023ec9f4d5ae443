// Writes the published JSON Schemas (schema/*.schema.json) from the compiled src/law/schema.js, so
// the files in the package are always the ones the loader validates with.
import { mkdirSync, writeFileSync } from 'node:fs';
const { expressionSchema, lawSchema } = await import(new URL('../dist/src/law/schema.js', import.meta.url).href);
const dir = new URL('../schema/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('expression.schema.json', dir), JSON.stringify(expressionSchema, null, 2) + '\n');
writeFileSync(new URL('law.schema.json', dir), JSON.stringify(lawSchema, null, 2) + '\n');
