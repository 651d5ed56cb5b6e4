import { useEffect, useMemo, useState } from 'preact/hooks';
import { KazooClient, savedSession, saveSession, SESSION_ENDED, type Session } from './api/kazoo-client';
import { useLiveCalls } from './calls/use-live-calls';
import { CallPage } from './pages/call.page';
import { CallsPage } from './pages/calls.page';
import { DialPage } from './pages/dial.page';
import { DocumentsPage } from './pages/documents.page';
import { KINDS } from './pages/documents.kinds';
import { LoginPage } from './pages/login.page';
import { RecordingsPage } from './pages/recordings.page';
import { StatsPage } from './pages/stats.page';
import { PhonePanel } from './phone/phone.panel';
import { href, useRoute } from './router';

function Shell({ client, logout }: { client: KazooClient; logout: () => void }) {
  const live = useLiveCalls(client);
  const [page, id] = useRoute();
  const spec = KINDS.find((k) => k.kind === page);
  const nav: Array<[string, string]> = [['calls', 'Live calls'], ['dial', 'Click to call'], ['recordings', 'Recordings'], ['stats', 'Platform'], ...KINDS.map((k): [string, string] => [k.kind, k.title])];
  return (
    <div class="shell">
      <header>
        <strong>Legwork</strong>
        <nav>
          {nav.map(([p, label]) => (
            <a key={p} href={href(p)} class={(page ?? 'calls') === p ? 'active' : ''}>
              {label}
            </a>
          ))}
        </nav>
        <span class="who" data-account={client.session.accountId}>
          {client.session.accountName} ({client.session.method === 'api_key' ? 'API key' : 'user'})
        </span>
        <button onClick={logout}>Log out</button>
      </header>
      <main>
        {page === 'calls' && id !== undefined ? (
          <CallPage client={client} live={live} callId={id} />
        ) : page === 'dial' ? (
          <DialPage client={client} live={live} />
        ) : page === 'recordings' ? (
          <RecordingsPage client={client} />
        ) : page === 'stats' ? (
          <StatsPage client={client} />
        ) : spec !== undefined ? (
          <DocumentsPage client={client} spec={spec} />
        ) : (
          <CallsPage client={client} live={live} />
        )}
      </main>
      <PhonePanel client={client} />
    </div>
  );
}

/** The console: a Kazoo login, then every page acts with that token's rights only. */
export function App() {
  const [session, setSession] = useState<Session | undefined>(savedSession);
  const client = useMemo(() => (session === undefined ? undefined : new KazooClient(session)), [session]);
  const login = (s: Session): void => {
    saveSession(s);
    setSession(s);
    location.hash = href('calls');
  };
  const forget = (): void => {
    saveSession(undefined);
    setSession(undefined);
  };
  const logout = (): void => {
    void client?.logout();
    forget();
  };
  useEffect(() => {
    addEventListener(SESSION_ENDED, forget);
    return () => removeEventListener(SESSION_ENDED, forget);
  }, []);
  return client === undefined ? <LoginPage onLogin={login} /> : <Shell client={client} logout={logout} />;
}
