import { Inject, Injectable } from '@nestjs/common';
import type { CallStore } from '@legwork/call-state';
import type { Scope } from '@legwork/directory';
import { CALL_STORE } from '../../../core/infra.tokens';
import { AccountDocumentsService } from './account-documents.service';
import { ProvisioningDirectory } from './provisioning-directory.provider';

export interface DeviceStatus {
  device_id: string;
  registered: boolean;
}

/** Kazoo's devices/status: whether each device the caller sees has a live binding in the registrar. */
@Injectable()
export class DeviceStatusService {
  constructor(
    private readonly docs: AccountDocumentsService,
    private readonly dir: ProvisioningDirectory,
    @Inject(CALL_STORE) private readonly calls: CallStore,
  ) {}

  async status(accountId: string, scope: Scope): Promise<DeviceStatus[]> {
    const [account, devices] = await Promise.all([this.dir.directory.accounts.get(accountId), this.docs.list('devices', accountId, scope)]);
    return Promise.all(
      devices.map(async (d) => {
        const contacts = await this.calls.registrations.list(`${d.sip.username}@${account.realm.toLowerCase()}`);
        // the registrar's list holds unexpired bindings only
        return { device_id: d.id, registered: contacts.length > 0 };
      }),
    );
  }
}
