import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import send from 'send';
import { ConsoleError, type ConsoleErrorCode } from './console.error';

/** The console's one page; every other file is a hashed asset Vite wrote beside it. */
const INDEX = '/index.html';

/** send's refusals by status: `..` above the root and dotfiles are 403, a NUL or a bad escape 400. */
const REFUSALS: Record<number, ConsoleErrorCode> = { 400: 'console_bad_path', 403: 'console_forbidden' };

/**
 * Serves the built console from its folder with `send`, which confines every path to the root (after
 * decoding), refuses dotfiles, and sets content types, ETags and ranges.
 */
export class ConsoleFiles {
  constructor(private readonly root: string) {}

  get built(): boolean {
    return existsSync(join(this.root, INDEX));
  }

  /** Streams `path` (below /console, still URL-encoded), or hands the ConsoleError to answer to `fail`. */
  serve(req: IncomingMessage, res: ServerResponse, path: string, fail: (err: ConsoleError) => void): void {
    if (!this.built) return fail(new ConsoleError('console_not_built', 'the console is not built: run npm run build'));
    const file = path === '' || path === '/' ? INDEX : path;
    send(req, file, { root: this.root, index: false, dotfiles: 'deny', cacheControl: false })
      .on('headers', (out: ServerResponse, abs: string) => {
        // Vite names assets by content hash, so they never change; the page itself is revalidated.
        out.setHeader('cache-control', abs.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      })
      // a folder is no page: no listing, no redirect
      .on('directory', () => fail(new ConsoleError('console_not_found', 'no such console file')))
      .on('error', (err: { status?: number }) => {
        const code = REFUSALS[err.status ?? 404] ?? 'console_not_found';
        fail(new ConsoleError(code, code === 'console_not_found' ? 'no such console file' : 'this path is not served'));
      })
      .pipe(res);
  }
}
