import { Body, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { ApiClient } from '@legwork/directory';
import { Access } from '../core/kazoo-access.decorator';
import { KazooController } from '../core/kazoo-controller.decorator';
import { kazooOk, type KazooOk } from '../core/kazoo.contract';
import { ProvisioningDirectory } from './provisioning-directory.provider';
import { KazooRouteDoc } from './provisioning.openapi';
import { documentOf } from './provisioning.request';
import { documentView } from './provisioning.views';

type Doc = KazooOk<Record<string, unknown>>;

/** Listing row of GET .../api_clients. */
export function apiClientSummary(c: ApiClient): Record<string, unknown> {
  return { id: c.id, client_id: c.client_id, name: c.name, dialect: c.dialect, owner_id: c.owner_id };
}

/**
 * API clients of the other dialects (VoipNow, Basix, X-on, Netaxis): an app of the organization, or one registered
 * to a user (`owner_id`). The secret is in the answer to the PUT only; the store keeps a keyed hash of it.
 */
@ApiTags('api_clients')
@ApiParam({ name: 'accountId', description: '32-hex account id' })
@KazooController('v2/accounts/:accountId/api_clients')
export class ApiClientsController {
  constructor(private readonly dir: ProvisioningDirectory) {}

  @Put()
  @Access('api_client.create')
  @HttpCode(201)
  @KazooRouteDoc({ summary: 'Register an API client; client_secret is shown in this answer only', kind: 'api_client', body: 'full', created: true })
  async create(@Param('accountId') accountId: string, @Body() body: unknown): Promise<Doc> {
    const created = await this.dir.directory.apiClients.create(accountId, documentOf(body));
    return kazooOk({ ...documentView(created.client), client_id: created.client_id, client_secret: created.client_secret }, { revision: created.client.revision });
  }

  @Get()
  @Access('api_client.list')
  @KazooRouteDoc({ summary: "List the account's API clients", kind: 'api_client', list: true })
  async list(@Param('accountId') accountId: string): Promise<KazooOk<Record<string, unknown>[]>> {
    return kazooOk((await this.dir.directory.apiClients.list(accountId)).map(apiClientSummary));
  }

  @Get(':id')
  @Access('api_client.read')
  @ApiParam({ name: 'id', description: 'client id' })
  @KazooRouteDoc({ summary: 'Fetch an API client (never its secret)', kind: 'api_client' })
  async get(@Param('accountId') accountId: string, @Param('id') id: string): Promise<Doc> {
    const client = await this.dir.directory.apiClients.get(accountId, id);
    return kazooOk(documentView(client), { revision: client.revision });
  }

  // Deleting a client revokes every token issued for it at once.
  @Delete(':id')
  @Access('api_client.delete')
  @ApiParam({ name: 'id', description: 'client id' })
  @KazooRouteDoc({ summary: 'Delete an API client and revoke its tokens', kind: 'api_client' })
  async remove(@Param('accountId') accountId: string, @Param('id') id: string): Promise<Doc> {
    const client = await this.dir.directory.apiClients.get(accountId, id);
    await this.dir.directory.apiClients.delete(accountId, id);
    return kazooOk(documentView(client), { revision: client.revision });
  }
}
