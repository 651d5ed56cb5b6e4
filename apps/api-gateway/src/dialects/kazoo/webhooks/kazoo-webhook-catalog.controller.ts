import { Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HOOK_DEFINITIONS, hookSampleNames, hookSamples, type HookDefinition } from '@legwork/webhook-delivery';
import { Access } from '../core/kazoo-access.decorator';
import { KazooError, kazooOk, type KazooOk } from '../core/kazoo.contract';
import { KazooController } from '../core/kazoo-controller.decorator';

/** Kazoo's /v2/webhooks: the hooks a document may name and sample payloads, served without a token as Kazoo does. */
@ApiTags('webhooks')
@KazooController('v2/webhooks')
export class KazooWebhookCatalogController {
  @Get()
  @Access('webhook.catalog')
  available(): KazooOk<HookDefinition[]> {
    return kazooOk(HOOK_DEFINITIONS.map((d) => ({ ...d })));
  }

  @Get('samples')
  @Access('webhook.catalog')
  samples(): KazooOk<string[]> {
    return kazooOk(hookSampleNames());
  }

  @Get('samples/:name')
  @Access('webhook.catalog')
  sample(@Param('name') name: string): KazooOk<Array<Record<string, unknown>>> {
    const samples = hookSamples(name);
    if (samples === undefined) throw KazooError.badIdentifier(name);
    return kazooOk(samples);
  }
}
