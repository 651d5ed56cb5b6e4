import { runAccountsCommand } from './kazoo/auth/accounts.command';

/** `npm run legwork -- accounts create --name N [--realm R] [--parent ID]` */
runAccountsCommand(process.argv.slice(2), process.env, { out: (l) => process.stdout.write(l), err: (l) => process.stderr.write(l) }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`legwork: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
