// The originate ramp as an SVG line chart: offered rate against bridged rate (left axis) and p99 latency (right axis).
// Plain SVG text, so a README can show it without a browser or a charting library.

const W = 640;
const H = 360;
const PAD = { left: 60, right: 64, top: 40, bottom: 50 };

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** A round axis maximum at or above v, and its tick step. */
function axis(v) {
  const raw = Math.max(v, 1) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  return { max: step * Math.ceil(Math.max(v, 1) / step), step };
}

/** The ramp steps of an originate record: [{ offered, bridged, p99 }] (rows that carry offeredPerSec). */
export function rampOf(record) {
  return (record?.rows ?? [])
    .filter((r) => typeof r.offeredPerSec === 'number')
    .map((r) => ({ offered: r.offeredPerSec, bridged: Number(r.value), p99: Number(r.p99BridgeMs ?? r.p99CreateMs) }));
}

export function rampSvg(steps, { title, subtitle }) {
  const x = axis(Math.max(...steps.map((s) => s.offered)));
  const yRate = x;
  const yLat = axis(Math.max(...steps.map((s) => (Number.isFinite(s.p99) ? s.p99 : 0))));
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const px = (v) => (PAD.left + (v / x.max) * iw).toFixed(1);
  const pyRate = (v) => (PAD.top + ih - (v / yRate.max) * ih).toFixed(1);
  const pyLat = (v) => (PAD.top + ih - (v / yLat.max) * ih).toFixed(1);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`];
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${W / 2}" y="18" text-anchor="middle" font-size="14">${esc(title)}</text>`);
  out.push(`<text x="${W / 2}" y="33" text-anchor="middle" fill="#555">${esc(subtitle)}</text>`);
  for (let v = 0; v <= x.max; v += x.step) {
    out.push(`<line x1="${px(v)}" y1="${PAD.top}" x2="${px(v)}" y2="${PAD.top + ih}" stroke="#eee"/>`);
    out.push(`<text x="${px(v)}" y="${PAD.top + ih + 16}" text-anchor="middle">${v}</text>`);
  }
  for (let v = 0; v <= yRate.max; v += yRate.step) out.push(`<text x="${PAD.left - 6}" y="${pyRate(v)}" text-anchor="end" dy="4" fill="#1f77b4">${v}</text>`);
  for (let v = 0; v <= yLat.max; v += yLat.step) out.push(`<text x="${PAD.left + iw + 6}" y="${pyLat(v)}" dy="4" fill="#d62728">${v}</text>`);
  out.push(`<rect x="${PAD.left}" y="${PAD.top}" width="${iw}" height="${ih}" fill="none" stroke="#999"/>`);
  out.push(`<line x1="${px(0)}" y1="${pyRate(0)}" x2="${px(x.max)}" y2="${pyRate(x.max)}" stroke="#bbb" stroke-dasharray="4 4"/>`);
  const line = (py, key, color) => {
    const pts = steps.filter((s) => Number.isFinite(s[key])).map((s) => `${px(s.offered)},${py(s[key])}`);
    out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const p of pts) out.push(`<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="3.5" fill="${color}"/>`);
  };
  line(pyRate, 'bridged', '#1f77b4');
  line(pyLat, 'p99', '#d62728');
  out.push(`<text x="${PAD.left + iw / 2}" y="${H - 12}" text-anchor="middle">offered originate_req/s</text>`);
  out.push(`<text transform="translate(16 ${PAD.top + ih / 2}) rotate(-90)" text-anchor="middle" fill="#1f77b4">bridged calls/s (dashed: offered)</text>`);
  out.push(`<text transform="translate(${W - 14} ${PAD.top + ih / 2}) rotate(90)" text-anchor="middle" fill="#d62728">p99 latency to bridged, ms</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
