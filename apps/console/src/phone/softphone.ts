import { Invitation, Registerer, RegistererState, SessionState, UserAgent, type Session, type Web } from 'sip.js';

/** What the page shows: the registration, and the one call the softphone holds. */
export interface PhoneState {
  registration: 'off' | 'registering' | 'registered' | 'failed';
  detail?: string;
  call?: { id: string; state: 'ringing' | 'answering' | 'established' | 'ended'; from: string };
}

export interface PhoneLogin {
  /** The SIP WebSocket of a media node (`ws://…` or `wss://…`). */
  server: string;
  username: string;
  /** Typed by the user; kept in this object only, for the digest answers. */
  password: string;
  realm: string;
}

const MEDIA = { constraints: { audio: true, video: false } };
// the platform rings a device with answer-after=0 when the call is one the device asked for (auto answer)
const AUTO_ANSWER = /answer-after=0/i;

/** The caller id an incoming call shows: the From display name with its number, or the number alone. */
function callerOf(invitation: Invitation): string {
  const { displayName, uri } = invitation.remoteIdentity;
  const number = uri.user ?? '';
  if (displayName === '' || displayName === number) return number;
  return number === '' ? displayName : `${displayName} (${number})`;
}

/** A browser SIP phone registered as one device: sip.js over WebSocket, audio over WebRTC (anchored by the platform). */
export class Softphone {
  private readonly ua: UserAgent;
  private readonly registerer: Registerer;
  private session: Session | undefined;
  private autoAnswerUntil = 0;
  private state: PhoneState = { registration: 'off' };

  constructor(
    login: PhoneLogin,
    private readonly audio: HTMLAudioElement,
    private readonly onChange: (state: PhoneState) => void,
  ) {
    const uri = UserAgent.makeURI(`sip:${encodeURIComponent(login.username)}@${login.realm}`);
    if (uri === undefined) throw new Error('not a SIP address: check the username and realm');
    this.ua = new UserAgent({
      uri,
      transportOptions: { server: login.server },
      authorizationUsername: login.username,
      authorizationPassword: login.password,
      logBuiltinEnabled: false,
      logLevel: 'warn',
      logConnector: (level, category, _label, content) => console.warn(`sip ${level} ${category}: ${content}`),
      sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] }, iceGatheringTimeout: 2000 },
      delegate: { onInvite: (invitation) => this.incoming(invitation) },
    });
    this.registerer = new Registerer(this.ua, { expires: 300 });
    this.registerer.stateChange.addListener((s) => {
      if (s === RegistererState.Registered) this.set({ registration: 'registered', detail: undefined });
      else if (s === RegistererState.Unregistered && this.state.registration === 'registered') this.set({ registration: 'off' });
    });
  }

  async start(): Promise<void> {
    this.set({ registration: 'registering' });
    try {
      await this.ua.start();
      await this.registerer.register({
        requestDelegate: { onReject: (res) => this.set({ registration: 'failed', detail: `${res.message.statusCode} ${res.message.reasonPhrase}` }) },
      });
    } catch (err) {
      this.set({ registration: 'failed', detail: err instanceof Error ? err.message : String(err) });
    }
  }

  /** The next call the platform rings this phone with answer-after=0, within `ms`, is answered at once (a call we asked for). */
  expectCallback(ms = 30_000): void {
    this.autoAnswerUntil = Date.now() + ms;
  }

  async answer(): Promise<void> {
    if (!(this.session instanceof Invitation) || this.session.state !== SessionState.Initial) return;
    this.setCall({ state: 'answering' });
    await this.session.accept({ sessionDescriptionHandlerOptions: MEDIA });
  }

  async hangup(): Promise<void> {
    const s = this.session;
    if (s === undefined) return;
    if (s instanceof Invitation && s.state === SessionState.Initial) await s.reject();
    else if (s.state === SessionState.Established) await s.bye();
  }

  async stop(): Promise<void> {
    await this.hangup().catch(() => undefined);
    await this.registerer.unregister().catch(() => undefined);
    await this.ua.stop().catch(() => undefined);
    this.set({ registration: 'off', call: undefined });
  }

  private incoming(invitation: Invitation): void {
    if (this.session !== undefined && this.session.state !== SessionState.Terminated) {
      void invitation.reject({ statusCode: 486 });
      return;
    }
    this.session = invitation;
    this.state = { ...this.state, call: { id: invitation.request.callId, state: 'ringing', from: callerOf(invitation) } };
    this.onChange(this.state);
    invitation.stateChange.addListener((s) => this.onSession(invitation, s));
    const auto = AUTO_ANSWER.test(invitation.request.getHeader('Call-Info') ?? '') && Date.now() < this.autoAnswerUntil;
    if (auto) {
      this.autoAnswerUntil = 0;
      void this.answer();
    }
  }

  private onSession(session: Session, s: SessionState): void {
    if (session !== this.session) return;
    if (s === SessionState.Established) {
      const sdh = session.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined;
      if (sdh !== undefined) {
        this.audio.srcObject = sdh.remoteMediaStream;
        void this.audio.play().catch(() => undefined);
      }
      this.setCall({ state: 'established' });
    } else if (s === SessionState.Terminated) {
      this.audio.srcObject = null;
      this.setCall({ state: 'ended' });
    }
  }

  private setCall(patch: Partial<NonNullable<PhoneState['call']>>): void {
    if (this.state.call !== undefined) this.set({ call: { ...this.state.call, ...patch } });
  }

  private set(patch: Partial<PhoneState>): void {
    this.state = { ...this.state, ...patch };
    this.onChange(this.state);
  }
}
