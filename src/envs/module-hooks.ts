/**
 * Module resolution hook for environment modules (registered by loadEnvModule): a module that imports
 * 'sparselaw' where no copy of the package is installed beside it (a global install, npx, a scratch
 * directory) gets the package that is loading it, instead of failing to import.
 */
interface ResolveContext {
  parentURL?: string;
  conditions?: string[];
  importAttributes?: Record<string, string>;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<{ url: string; format?: string | null; shortCircuit?: boolean }>;

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<{ url: string; format?: string | null; shortCircuit?: boolean }> {
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    const own = specifier === 'sparselaw' || specifier.startsWith('sparselaw/');
    if (!own || (err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    // Resolved from inside this package, 'sparselaw' is the package itself (a self-reference through its exports).
    return nextResolve(specifier, { ...context, parentURL: import.meta.url });
  }
}
