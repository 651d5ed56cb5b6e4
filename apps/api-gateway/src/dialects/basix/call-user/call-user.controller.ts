import { Body, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BasixController } from '../core/basix-controller.decorator';
import { BasixError } from '../core/basix.error';
import type { BasixRequest } from '../core/basix.request';
import { CALL_USER_BODY, CALL_USER_ERROR, CALL_USER_REPLY } from './call-user.openapi';
import { CallUserService, type CallUserReply } from './call-user.service';

/** Seed 003: `POST /basix/api/call_user`. */
@ApiTags('basix')
// the app's OpenAPI document is Kazoo's (one security scheme, X-Auth-Token): Basic auth is described on the route
@ApiHeader({ name: 'Authorization', required: true, description: 'HTTP Basic: base64(DOMAIN_NAME:API_TOKEN), the account realm and a basix API client secret' })
@BasixController('basix/api')
export class CallUserController {
  constructor(private readonly service: CallUserService) {}

  @Post('call_user')
  @HttpCode(200)
  @ApiOperation({ summary: "Ring a user's terminals and, on answer, connect the user to the destination" })
  @ApiBody({ schema: CALL_USER_BODY })
  @ApiResponse({ status: 200, description: 'the originating legs, one uuid each', schema: CALL_USER_REPLY })
  @ApiResponse({ status: 400, description: 'a parameter is missing or invalid (error.id names it)', schema: CALL_USER_ERROR })
  @ApiResponse({ status: 401, description: 'no or wrong DOMAIN_NAME:API_TOKEN', schema: CALL_USER_ERROR })
  @ApiResponse({ status: 429, description: 'channel_limit_reached, or too many failed authentications', schema: CALL_USER_ERROR })
  callUser(@Req() req: BasixRequest, @Body() body: unknown): Promise<CallUserReply> {
    const auth = req.basix;
    // the guard always sets it; a route reached without it is a wiring fault, not the caller's
    if (auth === undefined) throw new BasixError(500, 'internal_error', 'the request was not authenticated');
    return this.service.callUser(auth.principal, auth.apiToken, body);
  }
}
