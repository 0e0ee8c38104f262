// Parsing of the unit strings scenario files use: durations (250ms, 30s, 5m, 2h), sizes (1.5MiB,
// 30kB, or plain bytes) and bandwidths (10Gbps). Parsed once when a run is set up.
import { micros, type Micros } from '../engine/time.js';

const DURATION_UNITS: Record<string, number> = { us: 1, µs: 1, ms: 1e3, s: 1e6, m: 60e6, h: 3600e6, d: 86400e6 };
const SIZE_UNITS: Record<string, number> = {
  B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4,
};
const BANDWIDTH_UNITS: Record<string, number> = { bps: 1, kbps: 1e3, Kbps: 1e3, Mbps: 1e6, Gbps: 1e9, Tbps: 1e12 };

const NUMBER_UNIT = /^(\d+(?:\.\d+)?)\s*([a-zA-Zµ]+)$/;

function parseWithUnits(s: string, units: Record<string, number>): number | undefined {
  const m = NUMBER_UNIT.exec(s.trim());
  if (!m || !(m[2] in units)) return undefined;
  return Number(m[1]) * units[m[2]];
}

export const DURATION_HELP = 'a duration with a unit, e.g. 250ms, 30s, 5m, 2h30m (units: us, ms, s, m, h, d)';
export const SIZE_HELP = 'bytes as an integer, or a size with a unit, e.g. 1.5MiB, 30kB (B, kB, MB, GB, KiB, MiB, GiB)';
export const BANDWIDTH_HELP = 'a bandwidth with a unit, e.g. 10Gbps, 500Mbps, or 0 for unlimited';

/** A duration, or several in a row as Go writes them (1h30m, 2m30s). */
export function parseDuration(s: string): Micros | undefined {
  if (s === '0') return micros(0);
  const parts = s.trim().match(/\d+(?:\.\d+)?\s*[a-zA-Zµ]+/g);
  if (!parts || parts.join('') !== s.trim().replace(/\s+(?=[a-zA-Zµ])/g, '')) return undefined;
  let us = 0;
  for (const p of parts) {
    const v = parseWithUnits(p, DURATION_UNITS);
    if (v === undefined) return undefined;
    us += v;
  }
  return Number.isFinite(us) ? micros(us) : undefined;
}

export function parseSize(s: string | number): number | undefined {
  if (typeof s === 'number') return Number.isInteger(s) && s >= 0 ? s : undefined;
  if (/^\d+$/.test(s.trim())) return Number(s);
  const b = parseWithUnits(s, SIZE_UNITS);
  return b === undefined ? undefined : Math.round(b);
}

/** Bits per second; 0 means unlimited. */
export function parseBandwidth(s: string | number): number | undefined {
  if (s === 0 || s === '0') return 0;
  return typeof s === 'number' ? undefined : parseWithUnits(s, BANDWIDTH_UNITS);
}

/** Must parse: for values already validated by the schema. */
export function duration(s: string): Micros {
  const d = parseDuration(s);
  if (d === undefined) throw new Error(`invalid duration ${s}`);
  return d;
}

export function size(s: string | number): number {
  const b = parseSize(s);
  if (b === undefined) throw new Error(`invalid size ${s}`);
  return b;
}

export function bandwidth(s: string | number): number {
  const b = parseBandwidth(s);
  if (b === undefined) throw new Error(`invalid bandwidth ${s}`);
  return b;
}
