/** The fields of an RTP packet a recorder needs; undefined for RTCP or anything that is not RTP. */
export function parseRtpPacket(buf: Buffer): { ssrc: number; timestamp: number; payloadType: number; payload: Buffer } | undefined {
  if (buf.length < 12 || buf[0] >> 6 !== 2) return undefined;
  const payloadType = buf[1] & 0x7f;
  // RTCP packet types 200..204 land on 72..76 once the marker bit is masked off
  if (payloadType >= 72 && payloadType <= 76) return undefined;
  let offset = 12 + (buf[0] & 0x0f) * 4;
  if (buf[0] & 0x10) {
    if (buf.length < offset + 4) return undefined;
    offset += 4 + buf.readUInt16BE(offset + 2) * 4;
  }
  let end = buf.length;
  // padding: the last byte counts the padding bytes
  if (buf[0] & 0x20) end -= buf[buf.length - 1];
  if (end < offset) return undefined;
  return { ssrc: buf.readUInt32BE(8), timestamp: buf.readUInt32BE(4), payloadType, payload: buf.subarray(offset, end) };
}
