import { Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Grant } from '@legwork/directory';
import { Access } from '../core/kazoo-access.decorator';
import { GrantContext, kazooOk, type KazooOk, type KazooRequest } from '../core/kazoo.contract';
import { successBody } from '../core/kazoo-envelope';
import { CdrsService } from './cdrs.service';
import { KazooController } from '../core/kazoo-controller.decorator';

interface JsonResponse {
  status(code: number): JsonResponse;
  json(body: unknown): void;
}

@ApiTags('cdrs')
@KazooController('v2/accounts/:accountId/cdrs')
export class CdrsController {
  constructor(private readonly cdrs: CdrsService) {}

  @Get()
  @Access('cdr.list')
  @ApiOperation({ summary: "The account's CDRs, newest first (a plain user's own only)" })
  @ApiQuery({ name: 'created_from', required: false, description: 'gregorian seconds, inclusive' })
  @ApiQuery({ name: 'created_to', required: false, description: 'gregorian seconds, inclusive' })
  @ApiQuery({ name: 'page_size', required: false, description: '1..1000, default 50' })
  @ApiQuery({ name: 'start_key', required: false, description: 'next_start_key of the previous page' })
  async list(@Req() req: KazooRequest, @Res() res: JsonResponse, @Param('accountId') accountId: string, @Query() query: Record<string, unknown>, @GrantContext() grant: Grant): Promise<void> {
    const page = await this.cdrs.list(accountId, query, grant.scope);
    // Kazoo pages at the envelope's top level (page_size, start_key, next_start_key), beside data
    const startKey = typeof query['start_key'] === 'string' ? { start_key: query['start_key'] } : {};
    const next = page.nextStartKey !== undefined ? { next_start_key: page.nextStartKey } : {};
    res.status(200).json({ ...successBody(req, page.items.map((c) => c.doc), {}), page_size: page.items.length, ...startKey, ...next });
  }

  @Get(':cdrId')
  @Access('cdr.read', { cdr: 'cdrId' })
  @ApiOperation({ summary: 'One CDR' })
  async get(@Param('accountId') accountId: string, @Param('cdrId') cdrId: string): Promise<KazooOk<unknown>> {
    return kazooOk(await this.cdrs.get(accountId, cdrId));
  }
}
