import { Body, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { AccountWebhookAttempt, Webhook, WebhookAttempt } from '@legwork/directory';
import { Access } from '../core/kazoo-access.decorator';
import { kazooOk, type KazooOk } from '../core/kazoo.contract';
import { documentOf, revisionOf } from '../provisioning/provisioning.request';
import { redactSecrets } from '../provisioning/provisioning.views';
import { WEBHOOK_BODY, WEBHOOK_PATCH_BODY, WEBHOOKS_REENABLE_BODY } from './kazoo-webhooks.openapi';
import { KazooWebhooksService } from './kazoo-webhooks.service';
import { KazooController } from '../core/kazoo-controller.decorator';

type HookView = KazooOk<Record<string, unknown>>;

/** A collection PATCH without `data` is a missing `re-enable`, as Kazoo reads it. */
const collectionPatchOf = (body: unknown): Record<string, unknown> => {
  const data = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['data'] : undefined;
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
};

/** Every answer but create's: the signing secret is write-only. */
const view = (hook: Webhook): HookView => kazooOk(redactSecrets(hook), { revision: hook.revision });

/**
 * Kazoo's /v2/accounts/{ACCOUNT_ID}/webhooks. The platform generates each hook's signing secret and
 * shows it once, in the create response (like an API key); no later response carries it.
 */
@ApiTags('webhooks')
@KazooController('v2/accounts/:accountId/webhooks')
export class KazooWebhooksController {
  constructor(private readonly hooks: KazooWebhooksService) {}

  @Put()
  @Access('webhook.create')
  @ApiBody({ schema: WEBHOOK_BODY })
  @HttpCode(201)
  async create(@Param('accountId') accountId: string, @Body() body: unknown): Promise<HookView> {
    const hook = await this.hooks.create(accountId, documentOf(body));
    return kazooOk({ ...redactSecrets(hook), secret: hook.secret }, { revision: hook.revision });
  }

  @Get()
  @Access('webhook.list')
  async list(@Param('accountId') accountId: string): Promise<KazooOk<Record<string, unknown>[]>> {
    const hooks = await this.hooks.list(accountId);
    return kazooOk(hooks.map((h) => ({ id: h.id, name: h.name, uri: h.uri, hook: h.hook, http_verb: h.http_verb, enabled: h.enabled, ...(h.disabled_reason ? { disabled_reason: h.disabled_reason } : {}) })));
  }

  /** Every hook's attempts, newest first, each naming its hook (declared before `:id`, which would take the word). */
  @Get('attempts')
  @Access('webhook.read')
  async accountAttempts(@Param('accountId') accountId: string): Promise<KazooOk<AccountWebhookAttempt[]>> {
    return kazooOk(await this.hooks.accountAttempts(accountId));
  }

  /** `{"data": {"re-enable": true}}` turns every hook the platform disabled back on (Kazoo answers "hooks updated"). */
  @Patch()
  @Access('webhook.update')
  @ApiBody({ schema: WEBHOOKS_REENABLE_BODY })
  async reEnableAll(@Param('accountId') accountId: string, @Body() body: unknown): Promise<KazooOk<string>> {
    await this.hooks.reEnableAll(accountId, collectionPatchOf(body));
    return kazooOk('hooks updated');
  }

  @Get(':id')
  @Access('webhook.read')
  async get(@Param('accountId') accountId: string, @Param('id') id: string): Promise<HookView> {
    return view(await this.hooks.get(accountId, id));
  }

  @Get(':id/attempts')
  @Access('webhook.read')
  async attempts(@Param('accountId') accountId: string, @Param('id') id: string): Promise<KazooOk<WebhookAttempt[]>> {
    return kazooOk(await this.hooks.attempts(accountId, id));
  }

  @Post(':id')
  @Access('webhook.update')
  @ApiBody({ schema: WEBHOOK_BODY })
  @HttpCode(200)
  async replace(@Param('accountId') accountId: string, @Param('id') id: string, @Body() body: unknown, @Headers('if-match') ifMatch?: string): Promise<HookView> {
    return view(await this.hooks.replace(accountId, id, documentOf(body), revisionOf(ifMatch)));
  }

  /** `{"data": {"re-enable": true}}` turns an auto-disabled hook back on. */
  @Patch(':id')
  @Access('webhook.update')
  @ApiBody({ schema: WEBHOOK_PATCH_BODY })
  async patch(@Param('accountId') accountId: string, @Param('id') id: string, @Body() body: unknown, @Headers('if-match') ifMatch?: string): Promise<HookView> {
    return view(await this.hooks.patch(accountId, id, documentOf(body), revisionOf(ifMatch)));
  }

  @Delete(':id')
  @Access('webhook.delete')
  async remove(@Param('accountId') accountId: string, @Param('id') id: string): Promise<HookView> {
    return view(await this.hooks.remove(accountId, id));
  }
}
