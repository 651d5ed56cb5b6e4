import { ApiTags } from '@nestjs/swagger';
import { documentsController } from './account-documents.controller';
import { AccountDocumentsService } from './account-documents.service';
import { deviceSummary } from './provisioning.views';
import { KazooController } from '../core/kazoo-controller.decorator';

@ApiTags('devices')
@KazooController('v2/accounts/:accountId/devices')
export class DevicesController extends documentsController({ kind: 'devices', noun: 'device', summary: deviceSummary }) {
  constructor(protected readonly docs: AccountDocumentsService) {
    super();
  }
}
