import { type ManualClock, createCallStore } from '@legwork/call-state';
import { createDirectory } from '@legwork/directory';
import { registrarAbuseContract } from './testing/registrar-abuse.contract';
import { type RegistrarHarness, registrarContract } from './testing/registrar.contract';

const harness = async (clock: ManualClock): Promise<RegistrarHarness> => {
  const directory = createDirectory();
  const calls = createCallStore({ clock });
  return {
    directory,
    calls,
    clock,
    dispose: async () => {
      await calls.close();
      await directory.close();
    },
  };
};

registrarContract('in-process directory and call store', harness);
registrarAbuseContract('in-process directory and call store', harness);
