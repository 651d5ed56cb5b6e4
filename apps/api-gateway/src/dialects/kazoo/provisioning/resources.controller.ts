import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { documentsController } from './account-documents.controller';
import { AccountDocumentsService } from './account-documents.service';
import { resourceSummary } from './provisioning.views';

@ApiTags('resources')
@Controller('v2/accounts/:accountId/resources')
export class ResourcesController extends documentsController({ kind: 'resources', noun: 'resource', summary: resourceSummary }) {
  constructor(protected readonly docs: AccountDocumentsService) {
    super();
  }
}
