/** One SIP message from a sipp message log (`-trace_msg`). */
export interface LoggedSipMessage {
  direction: 'sent' | 'received';
  /** Request or status line, e.g. `CANCEL sip:...` or `SIP/2.0 200 OK`. */
  startLine: string;
  /** Header values by lower-case name (compact forms not expanded). */
  headers: Record<string, string[]>;
  body: string;
  text: string;
}

/** The messages of a sipp message log, oldest first; retransmissions are kept. */
// sipp writes `message received [N] bytes :` but `message sent (N bytes):`.
export function parseSippLog(log: string): LoggedSipMessage[] {
  const out: LoggedSipMessage[] = [];
  for (const block of log.split(/^-{10,}.*$/m)) {
    const match = /message (sent|received) (?:\[\d+\] bytes|\(\d+ bytes\)) ?:\r?\n\r?\n([\s\S]*)$/.exec(block);
    const text = match?.[2]?.replace(/^\s+/, '').replace(/\s+$/, '');
    if (match === null || text === undefined || text === '') continue;
    const [head = '', ...body] = text.split(/\r?\n\r?\n/);
    const [startLine = '', ...lines] = head.split(/\r?\n/);
    const headers: Record<string, string[]> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      (headers[line.slice(0, colon).trim().toLowerCase()] ??= []).push(line.slice(colon + 1).trim());
    }
    out.push({ direction: match[1] === 'sent' ? 'sent' : 'received', startLine, headers, body: body.join('\n\n').trim(), text });
  }
  return out;
}

/** Requests of one method the peer received (`INVITE`, `CANCEL`, `ACK`, `BYE`). */
export function receivedRequests(log: string, method: string): LoggedSipMessage[] {
  return parseSippLog(log).filter((m) => m.direction === 'received' && m.startLine.startsWith(`${method} `));
}

/** Requests of one method the peer received, one per transaction: a UDP retransmission (same CSeq) is counted once. */
export function receivedTransactions(log: string, method: string): LoggedSipMessage[] {
  const seen = new Set<string>();
  return receivedRequests(log, method).filter((m) => {
    const cseq = header(m, 'cseq') ?? m.text;
    if (seen.has(cseq)) return false;
    seen.add(cseq);
    return true;
  });
}

/** Responses the peer sent with this status, e.g. its 200s (retransmissions included). */
export function sentResponses(log: string, status: number): LoggedSipMessage[] {
  return parseSippLog(log).filter((m) => m.direction === 'sent' && m.startLine.startsWith(`SIP/2.0 ${status} `));
}

export function header(m: LoggedSipMessage | undefined, name: string): string | undefined {
  return m?.headers[name.toLowerCase()]?.[0];
}

/** `c=` address and audio port of an SDP body. */
export function sdpAudio(sdp: string): { address: string; port: number } | undefined {
  const c = /^c=IN IP[46] (\S+)/m.exec(sdp);
  const m = /^m=audio (\d+) /m.exec(sdp);
  return c === null || m === null ? undefined : { address: c[1], port: Number(m[1]) };
}
