import { Body, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Grant } from '@legwork/directory';
import { Access } from '../core/kazoo-access.decorator';
import { GrantContext, kazooOk, type KazooOk } from '../core/kazoo.contract';
import { kazooParse } from '../core/kazoo-parse';
import { channelActionSchema } from './channel-action.contract';
import { CHANNEL_ACTION_BODY } from './channels.openapi';
import { ChannelsService } from './channels.service';
import { KazooController } from '../core/kazoo-controller.decorator';

@ApiTags('channels')
@KazooController('v2/accounts/:accountId/channels')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Get()
  @Access('call.list')
  @ApiOperation({ summary: "The account's live channels (a plain user's own only)" })
  async list(@Param('accountId') accountId: string, @GrantContext() grant: Grant): Promise<KazooOk<unknown>> {
    return kazooOk(await this.channels.list(accountId, grant.scope));
  }

  @Get(':callId')
  @Access('call.read', { call: 'callId' })
  @ApiOperation({ summary: 'One live channel' })
  async get(@Param('accountId') accountId: string, @Param('callId') callId: string): Promise<KazooOk<unknown>> {
    return kazooOk(await this.channels.get(accountId, callId));
  }

  @Put(':callId')
  @Access('call.hangup', { call: 'callId' })
  @HttpCode(202)
  @ApiOperation({ summary: 'Act on a live channel: {"data":{"action":"hangup"|"hold"|"unhold"|"transfer","target":"…"}} or {"data":{"action":"intercept","target_type":"device"|"user","target_id":"…"}}' })
  @ApiBody({ schema: CHANNEL_ACTION_BODY })
  async act(@Param('accountId') accountId: string, @Param('callId') callId: string, @Body() body: unknown): Promise<KazooOk<unknown>> {
    const { data } = kazooParse(channelActionSchema, body ?? {});
    return kazooOk(await this.channels.act(accountId, callId, data));
  }

  @Post(':callId')
  @Access('call.hangup', { call: 'callId' })
  @HttpCode(202)
  @ApiOperation({ summary: 'Same as PUT (Kazoo clients use either)' })
  @ApiBody({ schema: CHANNEL_ACTION_BODY })
  actPost(@Param('accountId') accountId: string, @Param('callId') callId: string, @Body() body: unknown): Promise<KazooOk<unknown>> {
    return this.act(accountId, callId, body);
  }
}
