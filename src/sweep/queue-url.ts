import { SparselawError } from '../errors.js';

/** redis://HOST:PORT[/DB]; anything else is refused before a connection is tried. */
export function parseQueueUrl(url: string): { host: string; port: number; db: number } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new SparselawError(`--queue: "${url}" is not a URL; expected redis://HOST:PORT`);
  }
  if (u.protocol !== 'redis:') throw new SparselawError(`--queue: "${url}": expected a redis:// URL (redis://HOST:PORT)`);
  if (!u.hostname) throw new SparselawError(`--queue: "${url}" names no host`);
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new SparselawError(`--queue: "${url}": database "${u.pathname.slice(1)}" is not a non-negative integer`);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : 6379, db };
}
