/** Joins header lines with CRLF, adds the blank line and the body: corpus messages stay readable. */
export function wire(lines: string[], body = ''): string {
  return lines.join('\r\n') + '\r\n\r\n' + body;
}

export function byteLength(body: string): number {
  return Buffer.byteLength(body, 'utf8');
}
