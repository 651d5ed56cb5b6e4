import { Body, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { Account } from '@legwork/directory';
import { Access } from '../core/kazoo-access.decorator';
import { AuthContext, KazooError, kazooOk, type KazooAuth, type KazooOk } from '../core/kazoo.contract';
import { AccountsService } from './accounts.service';
import { KazooRouteDoc } from './provisioning.openapi';
import { documentOf, revisionOf } from './provisioning.request';
import { accountSummary, documentView } from './provisioning.views';
import { KazooController } from '../core/kazoo-controller.decorator';

type Doc = KazooOk<Record<string, unknown>>;

const view = (a: Account): Doc => kazooOk(documentView(a), { revision: a.revision });

function caller(auth: KazooAuth | undefined): KazooAuth {
  if (!auth) throw KazooError.unauthorized();
  return auth;
}

@ApiTags('accounts')
@ApiParam({ name: 'accountId', description: '32-hex account id' })
@KazooController('v2/accounts/:accountId')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  // Kazoo answers a PUT that creates a document with 201 Created.
  @Put()
  @Access('account.create-child')
  @HttpCode(201)
  @KazooRouteDoc({ summary: 'Create a sub-account of ACCOUNT_ID', kind: 'account', body: 'full', created: true })
  async create(@Param('accountId') accountId: string, @Body() body: unknown): Promise<Doc> {
    return view(await this.accounts.createChild(accountId, documentOf(body)));
  }

  @Get()
  @Access('account.read')
  @KazooRouteDoc({ summary: 'Fetch the account', kind: 'account' })
  async get(@Param('accountId') accountId: string): Promise<Doc> {
    return view(await this.accounts.get(accountId));
  }

  @Post()
  @Access('account.update')
  @HttpCode(200)
  @KazooRouteDoc({ summary: 'Replace the account document', kind: 'account', body: 'full' })
  async replace(@AuthContext() auth: KazooAuth | undefined, @Param('accountId') accountId: string, @Body() body: unknown, @Headers('if-match') ifMatch?: string): Promise<Doc> {
    return view(await this.accounts.replace(caller(auth), accountId, documentOf(body), revisionOf(ifMatch)));
  }

  @Patch()
  @Access('account.update')
  @KazooRouteDoc({ summary: 'Merge fields into the account document', kind: 'account', body: 'partial' })
  async patch(@AuthContext() auth: KazooAuth | undefined, @Param('accountId') accountId: string, @Body() body: unknown, @Headers('if-match') ifMatch?: string): Promise<Doc> {
    return view(await this.accounts.patch(caller(auth), accountId, documentOf(body), revisionOf(ifMatch)));
  }

  @Delete()
  @Access('account.delete')
  @KazooRouteDoc({ summary: 'Delete a sub-account (it must have no sub-accounts)', kind: 'account' })
  async remove(@AuthContext() auth: KazooAuth | undefined, @Param('accountId') accountId: string): Promise<Doc> {
    return view(await this.accounts.remove(caller(auth), accountId));
  }

  @Get('children')
  @Access('account.children')
  @KazooRouteDoc({ summary: 'List the direct sub-accounts', kind: 'account', list: true })
  async children(@Param('accountId') accountId: string): Promise<KazooOk<Record<string, unknown>[]>> {
    return kazooOk((await this.accounts.children(accountId)).map(accountSummary));
  }
}
