import { Body, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PHONE_CALL_BODY, PHONE_CALL_UPDATE_BODY, PhoneCallPath } from './phone-calls.openapi';
import type { ClientTokenClaims } from '@legwork/directory';
import { VoipnowController } from '../core/voipnow-controller.decorator';
import { VoipnowApp, type VoipnowRequest } from '../core/voipnow.contract';
import { PhoneCallsService, type PhoneCallAnswer } from './phone-calls.service';

const HOST = /^[A-Za-z0-9.\-:[\]]{1,260}$/;

/** Where link.self points: this gateway as the client reached it (a Host header that is not a host is ignored). */
function baseUrlOf(req: VoipnowRequest): string {
  const host = req.headers.host;
  const scheme = (req.socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http';
  return `${scheme}://${host !== undefined && HOST.test(host) ? host : `${req.socket.localAddress ?? '127.0.0.1'}:${req.socket.localPort ?? 80}`}`;
}

const SELF = 'uapi/phoneCalls/:userId/:extension/:id';

/** Seed 001: UAPI PhoneCalls simple, and the PhoneCall its answer links to. */
@ApiTags('voipnow')
@ApiBearerAuth()
@VoipnowController()
export class PhoneCallsController {
  constructor(private readonly service: PhoneCallsService) {}

  @Post('uapi/phoneCalls/:userId/simple')
  @HttpCode(202)
  @ApiOperation({ summary: 'Ring the sources at once; the first to answer is connected to the destination' })
  @PhoneCallPath()
  @ApiBody({ schema: PHONE_CALL_BODY })
  create(@VoipnowApp() app: ClientTokenClaims, @Req() req: VoipnowRequest, @Param('userId') userId: string, @Query() query: Record<string, unknown>, @Body() body: unknown): Promise<PhoneCallAnswer[]> {
    return this.service.create(app, userId, query, body, baseUrlOf(req));
  }

  @Get(SELF)
  @ApiOperation({ summary: 'The PhoneCall: sources and destination with their state, the answered source, times, hangup cause' })
  @PhoneCallPath(true)
  get(@VoipnowApp() app: ClientTokenClaims, @Req() req: VoipnowRequest, @Param() p: Record<string, string>): Promise<Record<string, unknown>> {
    return this.service.get(app, p['userId'], p['extension'], p['id'], baseUrlOf(req));
  }

  @Delete(SELF)
  @HttpCode(204)
  @ApiOperation({ summary: 'Hang the PhoneCall up' })
  @PhoneCallPath(true)
  async remove(@VoipnowApp() app: ClientTokenClaims, @Param() p: Record<string, string>): Promise<void> {
    await this.service.hangup(app, p['userId'], p['extension'], p['id']);
  }

  @Put(SELF)
  @HttpCode(204)
  @ApiOperation({ summary: 'Update a PhoneCall: {"action":"Hold"|"Unhold"} or {"action":"Transfer","sendCallTo":"…"}' })
  @PhoneCallPath(true)
  @ApiBody({ schema: PHONE_CALL_UPDATE_BODY })
  async update(@VoipnowApp() app: ClientTokenClaims, @Param() p: Record<string, string>, @Body() body: unknown): Promise<void> {
    await this.service.update(app, p['userId'], p['extension'], p['id'], body);
  }
}
