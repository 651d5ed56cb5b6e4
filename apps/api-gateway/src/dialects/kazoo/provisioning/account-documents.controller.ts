import { Body, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { Grant } from '@legwork/directory';
import { Access } from '../core/kazoo-access.decorator';
import { GrantContext, kazooOk, type KazooOk } from '../core/kazoo.contract';
import type { AccountDocumentsService, DocKind, KindMap } from './account-documents.service';
import { KazooRouteDoc, type RouteDoc } from './provisioning.openapi';
import { documentOf, revisionOf } from './provisioning.request';
import { documentView } from './provisioning.views';

type Doc = KazooOk<Record<string, unknown>>;

export interface DocumentsControllerSpec<K extends DocKind> {
  kind: K;
  /** Singular name for the OpenAPI summaries and schema, and the access policy's resource. */
  noun: Exclude<RouteDoc['kind'], 'account' | 'api_client'>;
  summary: (doc: KindMap[K]) => Record<string, unknown>;
}

/**
 * Kazoo's five verbs on /v2/accounts/{ACCOUNT_ID}/<kind>[/{ID}], shared by users, devices, resources and groups;
 * each concrete controller only fixes the path, the kind and its listing view.
 */
export function documentsController<K extends DocKind>(spec: DocumentsControllerSpec<K>) {
  const { kind, noun } = spec;
  const view = (d: KindMap[K]): Doc => kazooOk(documentView(d), { revision: d.revision });

  @ApiParam({ name: 'accountId', description: '32-hex account id' })
  abstract class DocumentsController {
    protected abstract readonly docs: AccountDocumentsService;

    // Kazoo answers a PUT that creates a document with 201 Created.
    @Put()
    @Access(`${noun}.create`)
    @HttpCode(201)
    @KazooRouteDoc({ summary: `Create a ${noun}`, kind: noun, body: 'full', created: true })
    async create(@Param('accountId') accountId: string, @Body() body: unknown): Promise<Doc> {
      return view(await this.docs.create(kind, accountId, documentOf(body)));
    }

    @Get()
    @Access(`${noun}.list`)
    @KazooRouteDoc({ summary: `List the account's ${kind}`, kind: noun, list: true })
    async list(@Param('accountId') accountId: string, @GrantContext() grant: Grant): Promise<KazooOk<Record<string, unknown>[]>> {
      return kazooOk((await this.docs.list(kind, accountId, grant.scope)).map(spec.summary));
    }

    @Get(':id')
    @Access(`${noun}.read`, { target: 'id' })
    @ApiParam({ name: 'id', description: `${noun} id` })
    @KazooRouteDoc({ summary: `Fetch a ${noun}`, kind: noun })
    async get(@Param('accountId') accountId: string, @Param('id') id: string): Promise<Doc> {
      return view(await this.docs.get(kind, accountId, id));
    }

    @Post(':id')
    @Access(`${noun}.update`, { target: 'id' })
    @HttpCode(200)
    @ApiParam({ name: 'id', description: `${noun} id` })
    @KazooRouteDoc({ summary: `Replace a ${noun} document`, kind: noun, body: 'full' })
    async replace(
      @Param('accountId') accountId: string, @Param('id') id: string, @Body() body: unknown, @GrantContext() grant: Grant, @Headers('if-match') ifMatch?: string,
    ): Promise<Doc> {
      return view(await this.docs.replace(kind, accountId, id, documentOf(body), grant.scope, revisionOf(ifMatch)));
    }

    @Patch(':id')
    @Access(`${noun}.update`, { target: 'id' })
    @ApiParam({ name: 'id', description: `${noun} id` })
    @KazooRouteDoc({ summary: `Merge fields into a ${noun} document`, kind: noun, body: 'partial' })
    async patch(
      @Param('accountId') accountId: string, @Param('id') id: string, @Body() body: unknown, @GrantContext() grant: Grant, @Headers('if-match') ifMatch?: string,
    ): Promise<Doc> {
      return view(await this.docs.patch(kind, accountId, id, documentOf(body), grant.scope, revisionOf(ifMatch)));
    }

    @Delete(':id')
    @Access(`${noun}.delete`, { target: 'id' })
    @ApiParam({ name: 'id', description: `${noun} id` })
    @KazooRouteDoc({ summary: `Delete a ${noun}`, kind: noun })
    async remove(@Param('accountId') accountId: string, @Param('id') id: string): Promise<Doc> {
      return view(await this.docs.remove(kind, accountId, id));
    }
  }
  return DocumentsController;
}
