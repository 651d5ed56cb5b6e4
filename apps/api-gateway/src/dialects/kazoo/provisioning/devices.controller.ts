import { Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Grant } from '@legwork/directory';
import { Access } from '../core/kazoo-access.decorator';
import { GrantContext, kazooOk, type KazooOk } from '../core/kazoo.contract';
import { documentsController } from './account-documents.controller';
import { AccountDocumentsService } from './account-documents.service';
import { DeviceStatusService, type DeviceStatus } from './device-status.service';
import { deviceSummary } from './provisioning.views';
import { KazooController } from '../core/kazoo-controller.decorator';

@ApiTags('devices')
@KazooController('v2/accounts/:accountId/devices')
export class DevicesController extends documentsController({ kind: 'devices', noun: 'device', summary: deviceSummary }) {
  constructor(
    protected readonly docs: AccountDocumentsService,
    private readonly statuses: DeviceStatusService,
  ) {
    super();
  }

  // Nest registers a class's own handlers before the inherited `:id`, so `status` is never read as an id.
  @Get('status')
  @Access('device.list')
  @ApiOperation({ summary: "Whether each of the account's devices is registered (a plain user's own only)" })
  async status(@Param('accountId') accountId: string, @GrantContext() grant: Grant): Promise<KazooOk<DeviceStatus[]>> {
    return kazooOk(await this.statuses.status(accountId, grant.scope));
  }
}
