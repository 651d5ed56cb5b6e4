/**
 * Kazoo's `kz_amqp_util:encode/1`, byte for byte: a routing-key word made of any text (a Call-ID).
 * Over the UTF-8 bytes: `A-Z a-z 0-9 - ~ _` stay, space becomes `+`, every other byte `%XX` (upper-case
 * hex). The whole value `*`, `#` or empty is returned unchanged, as Kazoo does, so a lone wildcard
 * still binds everything.
 */
export function encodeRoutingKeySegment(text: string): string {
  if (text === '' || text === '*' || text === '#') return text;
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    if (isKeySafe(byte)) out += String.fromCharCode(byte);
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The inverse of encodeRoutingKeySegment: `+` is a space, `%XX` (either hex case) a byte, and the bytes
 * are read as UTF-8. Kazoo has no decoder and its consumers read the Call-ID from the payload; this one
 * exists for logs and tools. A `%` not followed by two hex digits is kept as it is.
 */
export function decodeRoutingKeySegment(word: string): string {
  if (word === '' || word === '*' || word === '#') return word;
  const bytes: number[] = [];
  let i = 0;
  while (i < word.length) {
    const c = String.fromCodePoint(word.codePointAt(i)!);
    const hex = c === '%' ? word.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 3;
      continue;
    }
    if (c === '+') bytes.push(0x20);
    else bytes.push(...Buffer.from(c, 'utf8'));
    i += c.length;
  }
  return Buffer.from(bytes).toString('utf8');
}

/** `kz_amqp_util`'s KEY_SAFE: ASCII letters, digits, `-`, `~` and `_`. */
function isKeySafe(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x2d || byte === 0x7e || byte === 0x5f
  );
}
