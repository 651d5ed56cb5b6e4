import { Body, Post } from '@nestjs/common';
import { SecondController } from '../core/second-controller.decorator';
import { SecondError } from '../core/second.contract';

/** POST /second/echo `{ "text": "..." }` → `{ ok: true, echoed: "..." }`. */
@SecondController('second/echo')
export class EchoController {
  @Post()
  echo(@Body() body: unknown): { ok: true; echoed: string } {
    const text = typeof body === 'object' && body !== null ? (body as { text?: unknown }).text : undefined;
    if (typeof text !== 'string') throw new SecondError(400, 'invalid_field', 'text must be a string', 'text');
    return { ok: true, echoed: text };
  }
}
