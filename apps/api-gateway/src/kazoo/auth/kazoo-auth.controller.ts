import { Body, Controller, HttpCode, Put } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { kazooOk, Public, type KazooOk } from '../core/kazoo.contract';
import { KazooResponses } from '../core/kazoo.openapi';
import { KazooAuthService, type AuthView } from './kazoo-auth.service';
import { apiAuthBodyDoc, parseApiAuth, parseUserAuth, userAuthBodyDoc } from './kazoo-auth.request';

/** Kazoo's token endpoints: the only /v2 routes reachable without X-Auth-Token. */
@ApiTags('auth')
@Public()
@Controller('v2')
export class KazooAuthController {
  constructor(private readonly auth: KazooAuthService) {}

  @Put('api_auth')
  @HttpCode(201)
  @ApiOperation({ summary: 'Exchange an account API key for an auth token' })
  @ApiBody({ schema: apiAuthBodyDoc })
  @KazooResponses(201, 'auth token in `auth_token`; account in `data`', [400, 401])
  async apiAuth(@Body() body: unknown): Promise<KazooOk<AuthView>> {
    const { token, view } = await this.auth.withApiKey(parseApiAuth(body).api_key);
    return kazooOk(view, { authToken: token });
  }

  @Put('user_auth')
  @HttpCode(201)
  @ApiOperation({ summary: 'Exchange md5("username:password") and the account name or realm for an auth token' })
  @ApiBody({ schema: userAuthBodyDoc })
  @KazooResponses(201, 'auth token in `auth_token`; account and owner in `data`', [400, 401])
  async userAuth(@Body() body: unknown): Promise<KazooOk<AuthView>> {
    const { credentials, account } = parseUserAuth(body);
    const { token, view } = await this.auth.withUser(account, credentials);
    return kazooOk(view, { authToken: token });
  }
}
