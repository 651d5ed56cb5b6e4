import type { ServerResponse } from 'node:http';
import { Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Access } from '../core/kazoo-access.decorator';
import { KazooError, kazooOk, type KazooOk, type KazooRequest } from '../core/kazoo.contract';
import { checkIdempotencyKey } from '../core/kazoo-params';
import { KazooController } from '../core/kazoo-controller.decorator';
import { requestAccount } from '../core/kazoo-request-account';
import type { Directory } from '@legwork/directory';
import { DIRECTORY } from '../../../core/infra.tokens';
import { QuickcallMediaDefault } from './quickcall-media';
import { QuickcallService } from './quickcall.service';
import type { QuickcallKind } from './quickcall.target';

const PATH = 'v2/accounts/:accountId';

/** Says an answer is the remembered one of an earlier request with the same Idempotency-Key. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * Seed 000. The access policy admits a token owning the device (or being the user), an admin of the
 * account tree, or no token at all when the device's owner, the user or the account allows anonymous quickcalls.
 */
@ApiTags('quickcall')
@ApiHeader({ name: 'X-Auth-Token', required: false, description: 'required unless the device or user allows anonymous quickcalls' })
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'the same key and request within 24 h replays the first answer (Idempotent-Replayed: true) and starts no second call; with another request, 422' })
@ApiParam({ name: 'accountId', description: '32-hex account id' })
@ApiParam({ name: 'endpointId', description: 'the device or user that rings first' })
@ApiParam({ name: 'number', description: 'the number to connect it to' })
@KazooController('')
export class QuickcallController {
  constructor(
    private readonly service: QuickcallService,
    private readonly media: QuickcallMediaDefault,
    @Inject(DIRECTORY) private readonly directory: Directory,
  ) {}

  @Get(`${PATH}/devices/:endpointId/quickcall/:number`)
  @Access('originate.device', { target: 'endpointId' })
  @HttpCode(202)
  @ApiOperation({ summary: 'Non-blocking quickcall from a device: 202 at once with the originate request' })
  deviceGet(@Req() req: KazooRequest, @Res({ passthrough: true }) res: ServerResponse, @Param() p: Record<string, string>, @Query() q: Record<string, unknown>, @Headers('idempotency-key') key?: string): Promise<KazooOk<unknown>> {
    return this.run('GET', 'device', req, res, p, q, key);
  }

  @Post(`${PATH}/devices/:endpointId/quickcall/:number`)
  @Access('originate.device', { target: 'endpointId' })
  @HttpCode(202)
  @ApiOperation({ summary: 'Blocking quickcall from a device: 202 once a channel starts, 500 when it cannot' })
  devicePost(@Req() req: KazooRequest, @Res({ passthrough: true }) res: ServerResponse, @Param() p: Record<string, string>, @Query() q: Record<string, unknown>, @Headers('idempotency-key') key?: string): Promise<KazooOk<unknown>> {
    return this.run('POST', 'device', req, res, p, q, key);
  }

  @Get(`${PATH}/users/:endpointId/quickcall/:number`)
  @Access('originate.user', { target: 'endpointId' })
  @HttpCode(202)
  @ApiOperation({ summary: "Non-blocking quickcall ringing a user's devices" })
  userGet(@Req() req: KazooRequest, @Res({ passthrough: true }) res: ServerResponse, @Param() p: Record<string, string>, @Query() q: Record<string, unknown>, @Headers('idempotency-key') key?: string): Promise<KazooOk<unknown>> {
    return this.run('GET', 'user', req, res, p, q, key);
  }

  @Post(`${PATH}/users/:endpointId/quickcall/:number`)
  @Access('originate.user', { target: 'endpointId' })
  @HttpCode(202)
  @ApiOperation({ summary: "Blocking quickcall ringing a user's devices" })
  userPost(@Req() req: KazooRequest, @Res({ passthrough: true }) res: ServerResponse, @Param() p: Record<string, string>, @Query() q: Record<string, unknown>, @Headers('idempotency-key') key?: string): Promise<KazooOk<unknown>> {
    return this.run('POST', 'user', req, res, p, q, key);
  }

  private async run(
    verb: 'GET' | 'POST', kind: QuickcallKind, req: KazooRequest, res: ServerResponse, p: Record<string, string>, query: Record<string, unknown>, key: string | undefined,
  ): Promise<KazooOk<unknown>> {
    const accountId = p['accountId'] ?? '';
    const outcome = await this.service.quickcall({
      verb, kind, query, accountId,
      account: (await requestAccount(req, this.directory, accountId)) ?? undefined,
      endpointId: p['endpointId'] ?? '',
      number: p['number'] ?? '',
      body: verb === 'POST' ? req.body : undefined,
      idempotencyKey: checkIdempotencyKey(key),
      defaultMedia: await this.media.current(),
    });
    // set before a failure is thrown too: a replayed failure is a replay as much as a replayed success
    if (outcome.replayed) res.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
    if (outcome.kind === 'initiated') return kazooOk(outcome.data);
    if (outcome.kind === 'failed') throw new KazooError(500, 'quickcall initiation failed', outcome.data);
    throw new KazooError(500, 'timeout', outcome.data);
  }
}
