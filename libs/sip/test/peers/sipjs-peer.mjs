// A sip.js 0.21 user agent over WebSocket, driven by the test through JSON lines (stdin commands, stdout events).
// Config comes as JSON in argv[2]: { server, user, realm, password, answerSdp }.
import process from 'node:process';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';

// Node 20 has no global WebSocket; sip.js's transport looks for one
globalThis.WebSocket = WebSocket;
const { Registerer, RegistererState, SessionState, UserAgent } = await import('sip.js');

const config = JSON.parse(process.argv[2]);
const emit = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);

/** No WebRTC in Node: a description handler that records the remote SDP and answers with a fixed one. */
function fixedSdpHandler() {
  return {
    remote: undefined,
    close() {},
    async getDescription() {
      return { body: config.answerSdp, contentType: 'application/sdp' };
    },
    hasDescription: (contentType) => contentType === 'application/sdp',
    async setDescription(sdp) {
      this.remote = sdp;
      emit({ event: 'remoteSdp', sdp });
    },
    async rollbackDescription() {},
    sendDtmf: () => false,
  };
}

const sessions = new Set();
const ua = new UserAgent({
  uri: UserAgent.makeURI(`sip:${config.user}@${config.realm}`),
  transportOptions: { server: config.server, traceSip: false },
  authorizationUsername: config.user,
  authorizationPassword: config.password,
  sessionDescriptionHandlerFactory: () => fixedSdpHandler(),
  logLevel: 'error',
  logBuiltinEnabled: false,
  delegate: {
    onInvite(invitation) {
      sessions.add(invitation);
      emit({ event: 'invite', callId: invitation.request.callId });
      invitation.stateChange.addListener((state) => {
        emit({ event: 'session', state });
        if (state === SessionState.Terminated) sessions.delete(invitation);
      });
      invitation.accept().catch((err) => emit({ event: 'error', message: String(err) }));
    },
  },
});

const registerer = new Registerer(ua, { expires: 300 });
registerer.stateChange.addListener((state) => emit({ event: 'registration', state }));

async function stop() {
  try {
    if (registerer.state === RegistererState.Registered) await registerer.unregister();
    await ua.stop();
  } finally {
    emit({ event: 'stopped' });
    process.exit(0);
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const { cmd } = JSON.parse(line);
  if (cmd === 'stop') void stop();
});
process.stdin.on('end', () => void stop());

await ua.start();
emit({ event: 'connected' });
await registerer.register();
