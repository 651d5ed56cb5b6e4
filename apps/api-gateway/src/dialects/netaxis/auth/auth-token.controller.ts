import { Body, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TOKEN_BODY } from './auth-token.openapi';
import { NetaxisTokenController } from '../core/netaxis-controller.decorator';
import { sourceOf, type NetaxisRequest } from '../core/netaxis.contract';
import { parseTokenRequest } from './auth-token.request';
import { AuthTokenService, type TokenAnswer } from './auth-token.service';

interface HeaderSink {
  setHeader(name: string, value: string): void;
}

/** POST /api/v1/auth/token: a bearer token for a user (login@realm) or a netaxis API client. */
@ApiTags('netaxis')
@NetaxisTokenController()
export class AuthTokenController {
  constructor(private readonly service: AuthTokenService) {}

  @Post('api/v1/auth/token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Bearer token for a user (username login@realm) or a netaxis API client (username = client id)' })
  @ApiBody({ schema: TOKEN_BODY })
  async token(@Req() req: NetaxisRequest, @Body() body: unknown, @Res({ passthrough: true }) res: HeaderSink): Promise<TokenAnswer> {
    const answer = await this.service.login(parseTokenRequest(body), sourceOf(req));
    res.setHeader('Cache-Control', 'no-store');
    return answer;
  }
}
