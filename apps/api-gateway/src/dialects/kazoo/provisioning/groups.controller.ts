import { ApiTags } from '@nestjs/swagger';
import { documentsController } from './account-documents.controller';
import { AccountDocumentsService } from './account-documents.service';
import { groupSummary } from './provisioning.views';
import { KazooController } from '../core/kazoo-controller.decorator';

/** Ring groups and call centers: members (users, devices), type, strategy and numbering fields. */
@ApiTags('groups')
@KazooController('v2/accounts/:accountId/groups')
export class GroupsController extends documentsController({ kind: 'groups', noun: 'group', summary: groupSummary }) {
  constructor(protected readonly docs: AccountDocumentsService) {
    super();
  }
}
