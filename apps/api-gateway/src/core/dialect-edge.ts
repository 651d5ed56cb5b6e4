import type { IncomingMessage, ServerResponse } from 'node:http';
import { NotFoundException } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';

/** Answers, in the dialect's own shape, an error raised before any of its routes ran. */
export type EdgeAnswer = (err: unknown, req: IncomingMessage & { originalUrl?: string }, res: ServerResponse) => void;

/**
 * Mounts a dialect's answers for requests below its mount path that none of its routes took: unknown
 * paths (404) and bodies the parser refused (invalid JSON, too deep, too large). Call it from the
 * dialect's `onModuleInit`: Nest has registered the routes by then and adds its own 404 and error
 * handlers only afterwards, so these sit between the two.
 */
export function mountDialectEdge(host: HttpAdapterHost, mount: string, answer: EdgeAnswer): void {
  const adapter = host.httpAdapter;
  adapter.use(mount, (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse) => {
    answer(new NotFoundException(`Cannot ${req.method ?? 'GET'} ${req.originalUrl ?? req.url ?? ''}`), req, res);
  });
  // Four arguments make it an error handler to Express; errors are mapped as Nest maps them (SyntaxError → 400 …).
  adapter.use(mount, (err: unknown, req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, _next: unknown) => {
    answer(adapter.mapException(err), req, res);
  });
}
