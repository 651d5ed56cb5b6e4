import { ApiTags } from '@nestjs/swagger';
import { documentsController } from './account-documents.controller';
import { AccountDocumentsService } from './account-documents.service';
import { userSummary } from './provisioning.views';
import { KazooController } from '../core/kazoo-controller.decorator';

@ApiTags('users')
@KazooController('v2/accounts/:accountId/users')
export class UsersController extends documentsController({ kind: 'users', noun: 'user', summary: userSummary }) {
  constructor(protected readonly docs: AccountDocumentsService) {
    super();
  }
}
