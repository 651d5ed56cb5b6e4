// sipp's own counters, read from the final screen it prints on exit.

/** Last "Successful call" / "Failed call" cumulative counters of sipp's final screen. */
export function sippCounts(output) {
  const pick = (label) => {
    const matches = [...output.matchAll(new RegExp(`${label}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`, 'g'))];
    return matches.length > 0 ? Number(matches.at(-1)[1]) : undefined;
  };
  return { successful: pick('Successful call'), failed: pick('Failed call') };
}
