import { Body, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '@legwork/directory';
import { NetaxisController } from '../core/netaxis-controller.decorator';
import { NetaxisCaller } from '../core/netaxis.contract';
import type { TargetPath } from './call-target';
import { CALL_ACTION_BODY, CLICK_TO_DIAL_BODY, IMRN_BODY, LIST_BODY, NetaxisCallPath } from './calls.openapi';
import { CallsService } from './calls.service';

const BASE = 'api/v1/tenants/:tenantId/groups/:groupId/users/:userId/services/calls';
const pathOf = (p: Record<string, string | undefined>): TargetPath => ({ tenantId: p['tenantId'], groupId: p['groupId'], userId: p['userId'] });

/** Seed 004: the call service of one user (click-to-dial, the user's calls, their control and release). */
@ApiTags('netaxis')
@ApiBearerAuth()
@NetaxisController()
export class CallsController {
  constructor(private readonly service: CallsService) {}

  @Post(BASE)
  @HttpCode(201)
  @ApiOperation({ summary: "Call a phone number: the user's phones ring, the one that answers is connected to phoneNumber" })
  @NetaxisCallPath()
  @ApiBody({ schema: CLICK_TO_DIAL_BODY })
  create(@NetaxisCaller() caller: Caller, @Param() p: Record<string, string>, @Body() body: unknown): Promise<{ callId: string; externalTrackingId: string }> {
    return this.service.create(caller, pathOf(p), body);
  }

  @Get(BASE)
  @ApiOperation({ summary: "The user's ongoing calls (includeDetails in the body or the query for every attribute)" })
  @NetaxisCallPath()
  @ApiBody({ schema: LIST_BODY, required: false })
  list(@NetaxisCaller() caller: Caller, @Param() p: Record<string, string>, @Query() query: Record<string, unknown>, @Body() body: unknown): Promise<{ calls: Array<Record<string, unknown>> }> {
    return this.service.list(caller, pathOf(p), query, body);
  }

  @Post(`${BASE}/retrieve`)
  @HttpCode(201)
  @ApiOperation({ summary: 'Call Retrieve: pull the user’s call to another of its locations (needs a multiple-appearance service)' })
  @NetaxisCallPath()
  retrieve(@NetaxisCaller() caller: Caller, @Param() p: Record<string, string>): Promise<{ callId: string; externalTrackingId: string }> {
    return this.service.retrieve(caller, pathOf(p));
  }

  @Post(`${BASE}/imrn`)
  @HttpCode(201)
  @ApiOperation({ summary: "Reserve an IMRN of the tenant's pool: a call to it within the TTL is connected to phoneNumber (59 IMRN allocation failed when none is free)" })
  @NetaxisCallPath()
  @ApiBody({ schema: IMRN_BODY })
  imrn(@NetaxisCaller() caller: Caller, @Param() p: Record<string, string>, @Body() body: unknown): Promise<{ imrn: string }> {
    return this.service.imrn(caller, pathOf(p), body);
  }

  @Get(`${BASE}/:callId`)
  @ApiOperation({ summary: 'One call of the user: personality, state, remote party, endpoint, times, recording' })
  @NetaxisCallPath(true)
  get(@NetaxisCaller() caller: Caller, @Param() p: Record<string, string>): Promise<Record<string, unknown>> {
    return this.service.get(caller, pathOf(p), p['callId']);
  }

  @Put(`${BASE}/:callId`)
  @ApiOperation({ summary: 'hold, reconnect, blindTransfer, consultativeTransfer, start/pause/resume/stopRecording' })
  @NetaxisCallPath(true)
  @ApiBody({ schema: CALL_ACTION_BODY })
  modify(@NetaxisCaller() caller: Caller, @Param() p: Record<string, string>, @Body() body: unknown): Promise<Record<string, never>> {
    return this.service.modify(caller, pathOf(p), p['callId'], body);
  }

  @Delete(`${BASE}/:callId`)
  @ApiOperation({ summary: 'Release the call' })
  @NetaxisCallPath(true)
  release(@NetaxisCaller() caller: Caller, @Param() p: Record<string, string>): Promise<Record<string, never>> {
    return this.service.release(caller, pathOf(p), p['callId']);
  }
}
