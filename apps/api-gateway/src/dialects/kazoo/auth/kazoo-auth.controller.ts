import { Body, Delete, Get, HttpCode, Param, Put, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Access } from '../core/kazoo-access.decorator';
import { sourceOf } from '../core/kazoo-auth.guard';
import { kazooOk, KazooError, type KazooOk, type KazooRequest } from '../core/kazoo.contract';
import { KAZOO_SECURITY, KazooResponses } from '../core/kazoo.openapi';
import { KazooAuthService, type AuthView, type TokenInfoView } from './kazoo-auth.service';
import { apiAuthBodyDoc, parseApiAuth, parseUserAuth, userAuthBodyDoc } from './kazoo-auth.request';
import { KazooController } from '../core/kazoo-controller.decorator';

/** Kazoo's token endpoints: logins (the only /v2 routes reachable without X-Auth-Token) and logout. */
@ApiTags('auth')
@KazooController('v2')
export class KazooAuthController {
  constructor(private readonly auth: KazooAuthService) {}

  @Put('api_auth')
  @Access('session.login')
  @HttpCode(201)
  @ApiOperation({ summary: 'Exchange an account API key for an auth token' })
  @ApiBody({ schema: apiAuthBodyDoc })
  @KazooResponses(201, 'auth token in `auth_token`; account in `data`', [400, 401, 429])
  async apiAuth(@Req() req: KazooRequest, @Body() body: unknown): Promise<KazooOk<AuthView>> {
    const { token, view } = await this.auth.withApiKey(parseApiAuth(body).api_key, sourceOf(req));
    return kazooOk(view, { authToken: token });
  }

  @Put('user_auth')
  @Access('session.login')
  @HttpCode(201)
  @ApiOperation({ summary: 'Exchange md5 or sha1 of "username:password" and the phone number, account realm or name for an auth token' })
  @ApiBody({ schema: userAuthBodyDoc })
  @KazooResponses(201, 'auth token in `auth_token`; account and owner in `data`', [400, 401, 429])
  async userAuth(@Req() req: KazooRequest, @Body() body: unknown): Promise<KazooOk<AuthView>> {
    const { credentials, method, account } = parseUserAuth(body);
    const { token, view } = await this.auth.withUser(account, credentials, method, sourceOf(req));
    return kazooOk(view, { authToken: token });
  }

  @Get('user_auth/:token')
  @Access('session.read')
  @ApiOperation({ summary: 'What the token of this request stands for (the path must name that same token)' })
  @ApiSecurity(KAZOO_SECURITY)
  @KazooResponses(200, 'account, owner, method and expiry (`exp`) of the token in `data`', [401])
  async tokenInfo(@Req() req: KazooRequest, @Param('token') token: string): Promise<KazooOk<TokenInfoView>> {
    return kazooOk(await this.auth.tokenInfo(req.auth?.token, token));
  }

  /** Kazoo's logout: the caller's own token stops working at once. */
  @Delete('token_auth')
  @Access('session.logout')
  @ApiOperation({ summary: 'Revoke the X-Auth-Token of this request (logout)' })
  @ApiSecurity(KAZOO_SECURITY)
  @KazooResponses(200, 'the token is revoked', [401])
  async logout(@Req() req: KazooRequest): Promise<KazooOk<Record<string, never>>> {
    if (req.auth === undefined) throw KazooError.unauthorized();
    await this.auth.logout(req.auth.token);
    return kazooOk({}, { authToken: '' });
  }
}
