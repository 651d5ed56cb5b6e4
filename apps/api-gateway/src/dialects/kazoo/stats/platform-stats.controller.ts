import { Get, Inject, Param, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Directory } from '@legwork/directory';
import { DIRECTORY } from '../../../core/infra.tokens';
import { PlatformStatsProvider } from '../../../core/platform-stats/platform-stats.provider';
import type { StatsSnapshot } from '../../../core/platform-stats/platform-stats';
import { Access } from '../core/kazoo-access.decorator';
import { KazooController } from '../core/kazoo-controller.decorator';
import { KazooError, kazooOk, type KazooOk, type KazooRequest } from '../core/kazoo.contract';
import { requestAccount } from '../core/kazoo-request-account';

/** The platform's live picture for the console's chart; every tenant's traffic is in it, so only the master account's admins read it. */
@ApiTags('platform')
@KazooController('v2/accounts/:accountId/platform_stats')
export class PlatformStatsController {
  constructor(
    private readonly stats: PlatformStatsProvider,
    @Inject(DIRECTORY) private readonly directory: Directory,
  ) {}

  @Get()
  @Access('platform.stats')
  @ApiOperation({ summary: 'New channels per second, concurrent channels, answer-seizure ratio and webhook backlog, in 5 s buckets over 10 minutes (master account only)' })
  async get(@Req() req: KazooRequest, @Param('accountId') accountId: string): Promise<KazooOk<StatsSnapshot>> {
    const account = await requestAccount(req, this.directory, accountId);
    if (account === null || account.parent_id !== null) throw KazooError.forbidden({ message: "platform stats are the master account's only" });
    return kazooOk(this.stats.snapshot());
  }
}
