import { createCallStore } from '@legwork/call-state';
import { createDirectory } from '@legwork/directory';
import { registrarContract } from './testing/registrar.contract';

registrarContract('in-process directory and call store', async (clock) => {
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
});
