import { Body, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { ClientPrincipal } from '@legwork/directory';
import { XonController } from '../core/xon-controller.decorator';
import { XonError } from '../core/xon.error';
import type { XonRequest } from '../core/xon.request';
import { XON_CALL_BODY, XON_CANCEL_BODY } from './calls.openapi';
import { parseCallBody, parseCancelBody, parseMobileNumber } from './calls.request';
import { XonCallsService } from './calls.service';

function clientOf(req: XonRequest): ClientPrincipal {
  // the guard always sets it; a route reached without it is a wiring fault, not the caller's
  if (req.xon === undefined) throw new XonError(500, 'internal_error', 'the request was not authenticated');
  return req.xon;
}

/** Seed 002: the X-on patient API's VoIP push calls below /v1. */
@ApiTags('xon')
@ApiBearerAuth()
@XonController('v1')
export class XonCallsController {
  constructor(private readonly service: XonCallsService) {}

  @Get('callable-devices')
  @ApiOperation({ summary: 'The devices of the active user with this mobile number that can receive VoIP calls' })
  @ApiQuery({ name: 'mobileNumber', required: true, description: 'E.164' })
  @ApiResponse({ status: 200, description: '[{"id": …}], empty when none' })
  @ApiResponse({ status: 400, description: '{"error": …} mobileNumber missing or not E.164' })
  callableDevices(@Req() req: XonRequest, @Query() query: Record<string, unknown>): Promise<Array<{ id: string }>> {
    return this.service.callableDevices(clientOf(req), parseMobileNumber(query));
  }

  @Post('call')
  @HttpCode(202)
  @ApiOperation({ summary: 'Push a call to the device (and wake the leg Legwork holds for it, if any)' })
  @ApiBody({ schema: XON_CALL_BODY })
  @ApiResponse({ status: 202, description: 'push dispatched; empty body' })
  @ApiResponse({ status: 403, description: '{"error":"device rejected inbound call"}' })
  @ApiResponse({ status: 404, description: 'no valid device; empty body' })
  async call(@Req() req: XonRequest, @Body() body: unknown): Promise<void> {
    await this.service.call(clientOf(req), parseCallBody(body), 'call');
  }

  @Post('update-call')
  @HttpCode(202)
  @ApiOperation({ summary: 'Push an update of the call to the device' })
  @ApiBody({ schema: XON_CALL_BODY })
  @ApiResponse({ status: 202, description: 'push dispatched; empty body' })
  @ApiResponse({ status: 404, description: 'no valid device; empty body' })
  async updateCall(@Req() req: XonRequest, @Body() body: unknown): Promise<void> {
    await this.service.call(clientOf(req), parseCallBody(body), 'update');
  }

  @Post('cancel-call')
  @HttpCode(202)
  @ApiOperation({ summary: 'Push a cancel to the device, and cancel the leg Legwork holds for it (if any)' })
  @ApiBody({ schema: XON_CANCEL_BODY })
  @ApiResponse({ status: 202, description: 'push dispatched; empty body' })
  @ApiResponse({ status: 400, description: '{"error": …} reason is not cancelled or answered_elsewhere' })
  @ApiResponse({ status: 404, description: 'no valid device; empty body' })
  async cancelCall(@Req() req: XonRequest, @Body() body: unknown): Promise<void> {
    await this.service.cancel(clientOf(req), parseCancelBody(body));
  }
}
