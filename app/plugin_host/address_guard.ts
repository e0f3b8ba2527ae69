import { BlockList, isIP, type LookupFunction } from 'node:net'
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'

/**
 * Addresses a URL typed by a user must never reach: this machine, private networks, cloud metadata
 * services and anything not globally routable (IANA special-purpose registries).
 */
const IPV4_RANGES: [string, number, string][] = [
  ['0.0.0.0', 8, 'this network'],
  ['10.0.0.0', 8, 'a private network'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'a private network'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay'],
  ['192.168.0.0', 16, 'a private network'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
]

const IPV6_RANGES: [string, number, string][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['64:ff9b:1::', 48, 'local NAT64'],
  ['100::', 64, 'discard-only'],
  ['2001::', 23, 'IETF protocol assignments'],
  ['2001:db8::', 32, 'documentation'],
  ['3fff::', 20, 'documentation'],
  ['fc00::', 7, 'a unique local network (incl. cloud metadata fd00:ec2::254)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
]

function buildList(ranges: [string, number, string][], type: 'ipv4' | 'ipv6') {
  return ranges.map(([network, prefix, reason]) => {
    const list = new BlockList()
    list.addSubnet(network, prefix, type)
    return { list, reason, type }
  })
}

const RULES = [...buildList(IPV4_RANGES, 'ipv4'), ...buildList(IPV6_RANGES, 'ipv6')]

/** IPv4 embedded in an IPv6 address that carries one (mapped, compatible, NAT64 or 6to4), if any. */
export function embeddedIPv4(address: string): string | undefined {
  const lower = address.toLowerCase()
  const dotted = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower)
  if (dotted) return dotted[1]
  const words = expandIPv6(lower)
  if (!words) return undefined
  const toV4 = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`
  const zeros = (from: number, to: number) => words.slice(from, to).every((word) => word === 0)
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (deprecated compatible, not :: or ::1)
  if (zeros(0, 5) && (words[5] === 0xffff || (words[5] === 0 && (words[6] !== 0 || words[7] > 1))))
    return toV4(words[6], words[7])
  // 64:ff9b::a.b.c.d (well-known NAT64 prefix)
  if (words[0] === 0x64 && words[1] === 0xff9b && zeros(2, 6)) return toV4(words[6], words[7])
  // 2002:AABB:CCDD::/16 (6to4)
  if (words[0] === 0x2002) return toV4(words[1], words[2])
  return undefined
}

/** The eight 16-bit words of an IPv6 address, or undefined when it is not one. */
function expandIPv6(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined
  let text = address.split('%')[0]
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (v4) {
    const [a, b, c, d] = v4[1].split('.').map(Number)
    text =
      text.slice(0, -v4[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, tail] = text.split('::')
  const parse = (part: string | undefined) =>
    part ? part.split(':').map((word) => Number.parseInt(word, 16)) : []
  const start = parse(head)
  const end = parse(tail)
  const fill =
    tail === undefined ? [] : Array.from({ length: 8 - start.length - end.length }, () => 0)
  const words = [...start, ...fill, ...end]
  return words.length === 8 ? words : undefined
}

/** Why an address must not be reached from a user URL, or undefined when it is a public address. */
export function blockedReason(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, '').split('%')[0]
  const family = isIP(bare)
  if (family === 0) return 'not an IP address'
  if (family === 6) {
    const v4 = embeddedIPv4(bare)
    if (v4 !== undefined) {
      const inner = blockedReason(v4)
      if (inner) return `${inner} (inside an IPv6 address)`
    }
  }
  const type = family === 4 ? 'ipv4' : 'ipv6'
  return RULES.find((rule) => rule.type === type && rule.list.check(bare, type))?.reason
}

/** Refusal of a URL that comes from a user: scheme, credentials, or an address that is not public. */
export class AddressRefusedError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string
  ) {
    super(`Herald does not fetch ${url}: ${reason}`)
    this.name = 'AddressRefusedError'
  }
}

/** Options of the address guard. */
export interface AddressGuardOptions {
  /** DNS lookup (default `dns.lookup`); tests pass their own to map names to addresses. */
  lookup?: LookupFunction
  /**
   * Test hook: 127.0.0.1 on these ports is allowed, so tests reach fakes. Refused in production.
   * Nothing else private is ever allowed.
   */
  allowLoopbackPorts?: readonly number[]
}

/** Checks addresses for a user URL; `port` only matters for the loopback test hook. */
export class AddressGuard {
  readonly #lookup: LookupFunction
  readonly #loopbackPorts: ReadonlySet<number>

  constructor(options: AddressGuardOptions = {}) {
    const ports = options.allowLoopbackPorts ?? []
    if (ports.length > 0 && process.env.NODE_ENV === 'production') {
      throw new Error('allowLoopbackPorts is a test hook and cannot be used in production')
    }
    this.#lookup = options.lookup ?? (dnsLookup as LookupFunction)
    this.#loopbackPorts = new Set(ports)
  }

  /** Why `address` (an IP) may not be reached on `port`, or undefined when it may. */
  reasonToRefuse(address: string, port: number): string | undefined {
    const bare = address.replace(/^\[|\]$/g, '')
    if (bare === '127.0.0.1' && this.#loopbackPorts.has(port)) return undefined
    const reason = blockedReason(bare)
    return reason && `${bare} is ${reason}`
  }

  /**
   * A `lookup` for `net.connect` that resolves with the given function and refuses the connection when
   * any resolved address is not public, so the checked address is the one connected to (no DNS
   * rebinding between check and connect).
   */
  lookupFor(port: number): LookupFunction {
    return (name, options, callback) => {
      this.#lookup(name, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, '', 0)
        const list = (Array.isArray(addresses) ? addresses : []) as LookupAddress[]
        const refused = list
          .map((entry) => this.reasonToRefuse(entry.address, port))
          .find((reason) => reason !== undefined)
        if (list.length === 0 || refused) {
          const reason = refused ?? 'the name did not resolve'
          return callback(
            Object.assign(new AddressRefusedError(name, reason), { code: 'EHERALDREFUSED' }),
            '',
            0
          )
        }
        if (options.all) return callback(null, list)
        callback(null, list[0].address, list[0].family)
      })
    }
  }
}

/** Whether `host` is an IP literal (IPv6 in brackets or not). */
export function isIpLiteral(host: string): boolean {
  return isIP(host.replace(/^\[|\]$/g, '')) !== 0
}
