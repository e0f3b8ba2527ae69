import { isIP } from 'node:net'

/**
 * Whether a URL's host can be reached from the internet, as far as its name
 * tells: not localhost, not a private, loopback or link-local address, not a
 * single-label or `.local`/`.internal` name. Pure (no DNS): a public name
 * that resolves privately is not caught, which MEDIA_URL_REACHABLE covers the
 * other way round.
 */
export function isPublicUrl(url: string): boolean {
  if (!URL.canParse(url)) return false
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (isIP(host) === 4) return !privateIPv4(host)
  if (isIP(host) === 6) return !privateIPv6(host)
  if (host === 'localhost' || host.endsWith('.localhost')) return false
  if (!host.includes('.')) return false
  return !/\.(local|internal|lan|home|test|example|invalid|localdomain)$/.test(host)
}

function privateIPv4(host: string): boolean {
  const [a, b] = host.split('.').map(Number)
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  )
}

function privateIPv6(host: string): boolean {
  if (host === '::1' || host === '::') return true
  if (host.startsWith('::ffff:')) {
    const v4 = host.slice(7)
    return isIP(v4) === 4 ? privateIPv4(v4) : true
  }
  return /^(fc|fd|fe8|fe9|fea|feb)/.test(host)
}
