import { BlockList, isIP } from 'node:net';

/**
 * Which addresses notify refuses to reach unless an admin allowlists them: anything that is not
 * the public internet. A webhook URL or push endpoint is typed by a user, so without this check
 * Keel would be a proxy into its own network (the database, the cloud metadata service at
 * 169.254.169.254, an admin panel on localhost).
 */
export type SpecialRange =
  | 'loopback'
  | 'unspecified'
  | 'private'
  | 'link-local'
  | 'carrier-grade NAT'
  | 'multicast'
  | 'broadcast'
  | 'reserved';

const descriptions: Record<SpecialRange, string> = {
  loopback: 'a loopback address',
  unspecified: 'an unspecified address',
  private: 'a private address',
  'link-local': 'a link-local address (where cloud metadata services live)',
  'carrier-grade NAT': 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  reserved: 'a reserved address',
};

// Order matters only for the name shown: the first matching range names the address.
const ranges: [SpecialRange, string, number, 'ipv4' | 'ipv6'][] = [
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['carrier-grade NAT', '100.64.0.0', 10, 'ipv4'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['broadcast', '255.255.255.255', 32, 'ipv4'],
  // IETF protocol assignments, documentation nets, benchmarking, "future use" (240/4).
  ['reserved', '192.0.0.0', 24, 'ipv4'],
  ['reserved', '192.0.2.0', 24, 'ipv4'],
  ['reserved', '198.18.0.0', 15, 'ipv4'],
  ['reserved', '198.51.100.0', 24, 'ipv4'],
  ['reserved', '203.0.113.0', 24, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['private', 'fc00::', 7, 'ipv6'],
  ['private', 'fec0::', 10, 'ipv6'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['multicast', 'ff00::', 8, 'ipv6'],
  ['reserved', '100::', 64, 'ipv6'],
  ['reserved', '2001:db8::', 32, 'ipv6'],
];

// One list answers "special or not" in a single check (the common, public case); the per-range
// lists only name the range of an address that is special.
const anySpecial = new BlockList();
const lists = ranges.map(([range, network, prefix, family]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  anySpecial.addSubnet(network, prefix, family);
  return { range, list };
});

/**
 * The special range `address` falls in, or null for a public address. IPv6 forms that carry an
 * IPv4 address (`::ffff:127.0.0.1`, `::7f00:1`, NAT64 `64:ff9b::7f00:1`) are judged by that
 * IPv4 address.
 */
export function specialRangeOf(address: string): SpecialRange | null {
  const plain = embeddedIPv4(address) ?? withoutZone(address);
  const family = isIP(plain);
  if (family === 0) return 'reserved';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (!anySpecial.check(plain, type)) return null;
  for (const { range, list } of lists) if (list.check(plain, type)) return range;
  return 'reserved';
}

export function describeRange(range: SpecialRange): string {
  return descriptions[range];
}

/**
 * A predicate for `createOutbound({ isAllowed })` from an admin's allowlist. Entries are host
 * names (`hooks.internal`, `*.corp.example` for any subdomain) or addresses and CIDRs
 * (`127.0.0.1/32`, `10.0.0.0/8`, `::1/128`, a bare `192.168.1.5`). Throws on an entry that is
 * neither, so a typo is caught when the setting is saved rather than silently ignored.
 *
 * @example
 * const isAllowed = allowlistFrom(['127.0.0.1/32', 'hooks.internal']);
 * isAllowed('localhost', '127.0.0.1'); // true: the address is listed
 */
export function allowlistFrom(entries: readonly string[]): (host: string, address: string) => boolean {
  const addresses = new BlockList();
  const hosts = new Set<string>();
  const suffixes: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    const [network = '', prefixText] = entry.split('/');
    const family = isIP(network);
    if (family !== 0) {
      const type = family === 4 ? 'ipv4' : 'ipv6';
      const prefix = prefixText === undefined ? (family === 4 ? 32 : 128) : Number(prefixText);
      if (!/^\d+$/.test(prefixText ?? '0') || prefix > (family === 4 ? 32 : 128)) {
        throw new Error(`allowlist entry "${raw}" has an invalid prefix length`);
      }
      addresses.addSubnet(network, prefix, type);
    } else if (
      /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/.test(entry)
    ) {
      const host = entry.replace(/\.$/, '');
      if (host.startsWith('*.')) suffixes.push(host.slice(1));
      else hosts.add(host);
    } else {
      throw new Error(`allowlist entry "${raw}" is neither a host name nor an address or CIDR`);
    }
  }
  return function isAllowed(host, address) {
    const name = host.toLowerCase().replace(/\.$/, '');
    if (hosts.has(name) || suffixes.some((suffix) => name.endsWith(suffix))) return true;
    const candidates = [withoutZone(address), embeddedIPv4(address)];
    return candidates.some(
      (a) => a !== null && isIP(a) !== 0 && addresses.check(a, isIP(a) === 4 ? 'ipv4' : 'ipv6'),
    );
  };
}

function withoutZone(address: string): string {
  const plain = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const zone = plain.indexOf('%');
  return zone === -1 ? plain : plain.slice(0, zone);
}

/** The IPv4 address inside an IPv4-mapped, IPv4-compatible or NAT64 (64:ff9b::/96) IPv6 address. */
export function embeddedIPv4(address: string): string | null {
  const plain = withoutZone(address);
  if (isIP(plain) !== 6) return null;
  const groups = ipv6Groups(plain);
  if (!groups) return null;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  const mapped = zeros(0, 5) && groups[5] === 0xffff;
  const compatible = zeros(0, 6) && (groups[6] ?? 0) !== 0; // ::/96 minus :: and ::1
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6);
  if (!mapped && !compatible && !nat64) return null;
  const high = groups[6] ?? 0;
  const low = groups[7] ?? 0;
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

// Eight 16-bit groups of a valid IPv6 address (checked by isIP), a trailing dotted quad included.
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase();
  const quad = text.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part ? part.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const groups =
    tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g)) ? groups : null;
}
