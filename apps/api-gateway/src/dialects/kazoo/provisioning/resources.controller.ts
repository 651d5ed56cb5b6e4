import { ApiTags } from '@nestjs/swagger';
import { documentsController } from './account-documents.controller';
import { AccountDocumentsService } from './account-documents.service';
import { resourceSummary } from './provisioning.views';
import { KazooController } from '../core/kazoo-controller.decorator';

@ApiTags('resources')
@KazooController('v2/accounts/:accountId/resources')
export class ResourcesController extends documentsController({ kind: 'resources', noun: 'resource', summary: resourceSummary }) {
  constructor(protected readonly docs: AccountDocumentsService) {
    super();
  }
}
