import { Module } from '@nestjs/common';
import { KazooCoreModule } from '../core/kazoo-core.module';
import { AccountDocumentsService } from './account-documents.service';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { ApiClientsController } from './api-clients.controller';
import { DeviceStatusService } from './device-status.service';
import { DevicesController } from './devices.controller';
import { GroupsController } from './groups.controller';
import { ProvisioningDirectory } from './provisioning-directory.provider';
import { ResourcesController } from './resources.controller';
import { UsersController } from './users.controller';

/** Kazoo provisioning: accounts (and sub-accounts), users, devices, resources, groups and API clients under /v2/accounts. */
@Module({
  imports: [KazooCoreModule],
  controllers: [AccountsController, UsersController, DevicesController, ResourcesController, GroupsController, ApiClientsController],
  providers: [ProvisioningDirectory, AccountsService, AccountDocumentsService, DeviceStatusService],
})
export class KazooProvisioningModule {}
