import { appendFileSync } from 'node:fs';

/**
 * Module-loader hooks that append the URL of every module the loader resolves to the file named by
 * SPARSELAW_LOAD_LOG, so a test can see which packages an import really loads (static or dynamic).
 */
interface ResolveResult { url: string }
type NextResolve = (specifier: string, context: unknown) => Promise<ResolveResult>;

export async function resolve(specifier: string, context: unknown, next: NextResolve): Promise<ResolveResult> {
  const result = await next(specifier, context);
  const log = process.env.SPARSELAW_LOAD_LOG;
  if (log) appendFileSync(log, `${result.url}\n`);
  return result;
}
