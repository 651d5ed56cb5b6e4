import { runBusCommand } from './bus.command';
import { runAccountsCommand } from './core/accounts.command';
import { runSecretsCommand } from './secrets.command';

/** `npm run legwork -- accounts create --name N [--realm R] [--parent ID]` | `secrets keygen [--id ID]` | `secrets rotate` | `bus migrate-exchanges [--dry-run] [--force]` */
const argv = process.argv.slice(2);
const command = argv[0] === 'secrets' ? runSecretsCommand : argv[0] === 'bus' ? runBusCommand : runAccountsCommand;
command(argv, process.env, { out: (l) => process.stdout.write(l), err: (l) => process.stderr.write(l) }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`legwork: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
