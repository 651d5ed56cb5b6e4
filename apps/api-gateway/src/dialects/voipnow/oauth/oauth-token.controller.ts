import { Body, Headers, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Directory } from '@legwork/directory';
import { DIRECTORY } from '../../../core/infra.tokens';
import { OAUTH_TOKEN_PATH } from '../core/voipnow-body';
import { VoipnowTokenController } from '../core/voipnow-controller.decorator';
import { sourceOf, type VoipnowRequest } from '../core/voipnow.contract';
import { OAuthError } from './oauth-error';
import { parseTokenRequest } from './oauth-token.request';

/** RFC 6749 §4.4.2, as a form or as JSON; the credentials may come in HTTP Basic instead. */
const TOKEN_REQUEST_BODY = {
  type: 'object',
  required: ['grant_type'],
  properties: { grant_type: { enum: ['client_credentials'] }, client_id: { type: 'string' }, client_secret: { type: 'string' } },
};

interface HeaderSink {
  setHeader(name: string, value: string): void;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** OAuth 2.0 client credentials (RFC 6749 §4.4) for VoipNow apps: API clients of dialect `voipnow`. */
@ApiTags('voipnow')
@VoipnowTokenController()
export class OAuthTokenController {
  constructor(@Inject(DIRECTORY) private readonly directory: Directory) {}

  @Post(OAUTH_TOKEN_PATH.slice(1))
  @HttpCode(200)
  @ApiOperation({ summary: 'Access token for a VoipNow app (grant_type=client_credentials, form or JSON)' })
  @ApiBody({ schema: TOKEN_REQUEST_BODY })
  async token(@Req() req: VoipnowRequest, @Body() body: unknown, @Res({ passthrough: true }) res: HeaderSink, @Headers('authorization') authorization?: string): Promise<TokenResponse> {
    const request = parseTokenRequest(body, authorization);
    const { apiClients } = this.directory;
    const result = await apiClients.authenticate({ clientId: request.clientId, secret: request.clientSecret }, { dialect: 'voipnow', source: sourceOf(req) });
    if (!result.ok) {
      if (result.reason === 'throttled') {
        throw new OAuthError(429, 'slow_down', 'too many failed attempts; retry later', { 'Retry-After': String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))) });
      }
      throw OAuthError.invalidClient(request.basic);
    }
    const token = await apiClients.issueToken(result.principal);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    return { access_token: token.token, token_type: 'Bearer', expires_in: token.expiresIn };
  }
}
