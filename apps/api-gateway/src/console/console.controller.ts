import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RouteOwner } from '@legwork/platform';
import { consoleHeaders } from './console-headers';
import type { ConsoleError } from './console.error';
import { ConsoleFiles } from './console-files.service';
import { CONSOLE_SETTINGS, type ConsoleSettings } from './console.settings';

/** The owner the route-owner guard sees for the console's routes. */
export const CONSOLE_ROUTES = 'console';

const MOUNT = '/console';

/** The web console: its built files and the one setting its page reads (where the event stream is). */
@ApiExcludeController()
@RouteOwner(CONSOLE_ROUTES)
@Controller('console')
export class ConsoleController {
  constructor(
    private readonly files: ConsoleFiles,
    @Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings,
  ) {}

  @Get('config.json')
  config(@Res() res: ServerResponse): void {
    this.answer(res, 200, { events: this.settings.events });
  }

  @Get(['', '{*path}'])
  file(@Req() req: IncomingMessage, @Res() res: ServerResponse): void {
    for (const [name, value] of Object.entries(consoleHeaders(this.settings.csp))) res.setHeader(name, value);
    const path = (req.url ?? MOUNT).split('?')[0].slice(MOUNT.length);
    this.files.serve(req, res, path, (err: ConsoleError) => this.answer(res, err.status, { error: err.code, message: err.message }));
  }

  private answer(res: ServerResponse, status: number, body: unknown): void {
    for (const [name, value] of Object.entries(consoleHeaders(this.settings.csp))) res.setHeader(name, value);
    res.statusCode = status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('cache-control', 'no-cache');
    res.end(JSON.stringify(body));
  }
}
