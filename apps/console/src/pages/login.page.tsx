import { useState } from 'preact/hooks';
import { loginWithApiKey, loginWithUser, type Session } from '../api/kazoo-client';
import { ErrorBox } from '../components/error-box';

/** Log in with an account API key (PUT /v2/api_auth) or a user's credentials (PUT /v2/user_auth). */
export function LoginPage({ onLogin }: { onLogin: (s: Session) => void }) {
  const [mode, setMode] = useState<'api_key' | 'user'>('api_key');
  const [fields, setFields] = useState({ apiKey: '', username: '', password: '', realm: '' });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (name: keyof typeof fields) => (e: Event) => setFields({ ...fields, [name]: (e.target as HTMLInputElement).value });

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onLogin(mode === 'api_key' ? await loginWithApiKey(fields.apiKey) : await loginWithUser(fields.username, fields.password, fields.realm));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <h1>Legwork console</h1>
      <div class="tabs">
        <button type="button" class={mode === 'api_key' ? 'active' : ''} onClick={() => setMode('api_key')}>
          API key
        </button>
        <button type="button" class={mode === 'user' ? 'active' : ''} onClick={() => setMode('user')}>
          User
        </button>
      </div>
      <form onSubmit={submit}>
        {mode === 'api_key' ? (
          <label>
            API key
            <input name="api_key" type="password" autocomplete="off" value={fields.apiKey} onInput={set('apiKey')} required />
          </label>
        ) : (
          <>
            <label>
              Username
              <input name="username" autocomplete="username" value={fields.username} onInput={set('username')} required />
            </label>
            <label>
              Password
              <input name="password" type="password" autocomplete="current-password" value={fields.password} onInput={set('password')} required />
            </label>
            <label>
              Account realm
              <input name="realm" value={fields.realm} onInput={set('realm')} required />
            </label>
          </>
        )}
        <button type="submit" disabled={busy}>
          Log in
        </button>
      </form>
      <ErrorBox error={error} />
    </main>
  );
}
