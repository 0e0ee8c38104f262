// IP addresses as Go's net.IP.String() writes them, which is how the controllers re-stringify pod IPs:
// IPv6 in RFC 5952 form (lowercase, no leading zeros, the first longest run of two or more zero
// groups as ::), IPv4-mapped IPv6 as dotted IPv4.

function parseIPv6(ip: string): number[] | undefined {
  let text = ip.toLowerCase();
  // A trailing dotted IPv4 part stands for the last two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const o = v4.slice(1).map(Number);
    if (o.some((x) => x > 255)) return undefined;
    text = `${text.slice(0, v4.index)}${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const parts = text.split('::');
  if (parts.length > 2) return undefined;
  const read = (s: string) => (s === '' ? [] : s.split(':').map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
  const head = read(parts[0]);
  const rest = parts.length === 2 ? read(parts[1]) : [];
  const total = head.length + rest.length;
  if (parts.length === 2 ? total > 7 : total !== 8) return undefined;
  const groups = [...head, ...Array(8 - total).fill(0), ...rest];
  return groups.some((g) => Number.isNaN(g)) ? undefined : groups;
}

/**
 * Already the canonical text of an IPv4 address: four decimal octets of at most 255 without leading
 * zeros (what the kubelet reports, and every simulated pod IP). Checked character by character: every
 * controller sync of every changed pod asks, and the general path below allocates.
 */
function isCanonicalIPv4(ip: string): boolean {
  let dots = 0;
  let octet = 0;
  let digits = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return false;
      octet = digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return false; // a leading zero
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return false;
    } else return false;
  }
  return dots === 3 && digits > 0;
}

/** The canonical text of an IP, or undefined if it is not one. */
export function canonicalIP(ip: string): string | undefined {
  if (isCanonicalIPv4(ip)) return ip;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) {
    const o = ip.split('.').map(Number);
    return o.every((x) => x <= 255) ? o.join('.') : undefined;
  }
  const g = parseIPv6(ip);
  if (!g) return undefined;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`;
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export const isIPv6 = (ip: string) => ip.includes(':');
