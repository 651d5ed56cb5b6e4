/**
 * A copy of `text` that shares no memory with the string it was cut from. V8 keeps substrings of 13+ characters as
 * slices of their parent (a whole parsed message) and concatenations as trees of parts; a value kept for a call's life
 * must not hold either alive.
 */
export function ownedString(text: string): string {
  // JSON round-trips every string exactly and returns freshly allocated flat text
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}

export function ownedStrings(texts: readonly string[]): string[] {
  return texts.map(ownedString);
}
