/** Buffer.from() of small inputs slices a shared 8 KiB pool; one kept slice keeps the whole slab alive. */

/** The UTF-8 bytes of `text` in memory of their own, for bodies that live as long as their message. */
export function ownedUtf8(text: string): Buffer {
  const out = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'));
  out.write(text, 0, 'utf8');
  return out;
}

/** A copy of `bytes` in memory of its own (never a pool slice). */
export function ownedCopy(bytes: Uint8Array): Buffer {
  const out = Buffer.allocUnsafeSlow(bytes.length);
  out.set(bytes);
  return out;
}
