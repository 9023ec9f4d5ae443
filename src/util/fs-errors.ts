import { SparselawError } from '../errors.js';

/**
 * File-system errors on paths the user gave (an input file, an --out location) are the user's to fix,
 * not bugs: they become one-line SparselawErrors naming the path and the cause in words.
 */
const CAUSES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EBUSY: 'resource busy',
  EIO: 'input/output error',
  ENXIO: 'no such device or address',
  ENODEV: 'no such device',
  ETXTBSY: 'text file busy',
  EINVAL: 'invalid argument for this file system',
  EXDEV: 'cross-device link',
  EAGAIN: 'resource temporarily unavailable',
  ETIMEDOUT: 'the file system did not answer in time',
};

export interface FsError extends Error {
  code: string;
  syscall?: string;
  path?: string;
}

/** True for errors thrown by node:fs (an errno code we can name in words). */
export function isFsError(err: unknown): err is FsError {
  return err instanceof Error && typeof (err as FsError).code === 'string' && (err as FsError).code in CAUSES;
}

/** "read-only file system (EROFS)"; the code stays in the message so it can be searched for. */
export function fsCause(err: FsError): string {
  return `${CAUSES[err.code] ?? err.message} (${err.code})`;
}

/** An errno-style error of our own, for causes we detect before the system call would. */
export function errnoError(code: string, syscall: string, path: string): FsError {
  const e = new Error(`${code}: ${CAUSES[code] ?? code}, ${syscall} '${path}'`) as FsError;
  e.code = code;
  e.syscall = syscall;
  e.path = path;
  return e;
}

/**
 * `action` says what was being done, e.g. "cannot read data.csv". The path the system call failed
 * on is named when it differs from the user's path (a parent directory, a temporary file).
 */
export function userFsError(err: unknown, action: string, userPath?: string): unknown {
  if (!isFsError(err)) return err;
  return new SparselawError(`${action}: ${fsReason(err, userPath)}`);
}

/** The cause in words, naming the failing path when it is not the one the user gave. */
export function fsReason(err: FsError, userPath?: string): string {
  if (err.code === 'ENOTDIR' && err.path !== undefined) return `${err.path} is not a directory (ENOTDIR)`;
  const where = err.path !== undefined && err.path !== userPath ? ` at ${err.path}` : '';
  return `${fsCause(err)}${where}`;
}

const SYSCALL_VERBS: Readonly<Record<string, string>> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create the directory',
  rename: 'rename',
  unlink: 'remove',
  rm: 'remove',
  stat: 'access',
  lstat: 'access',
  scandir: 'list',
  opendir: 'list',
  copyfile: 'copy',
};

/** "cannot open data.csv: no such file or directory (ENOENT)", from the error's own path and call. */
export function describeFsError(err: FsError): string {
  const verb = SYSCALL_VERBS[err.syscall ?? ''] ?? 'access';
  return err.path === undefined ? `cannot ${verb} a file: ${fsCause(err)}` : `cannot ${verb} ${err.path}: ${fsReason(err, err.path)}`;
}
