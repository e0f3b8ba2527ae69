import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'
import env from '#start/env'
import { appUrl } from '#config/app'

/**
 * Herald's own signed, expiring URLs for files of the local-media storage:
 * `<APP_URL>/media/s/<expires>/<signature>/<key>`, served without sign-in
 * until `expires` (unix seconds). Networks that download media themselves
 * (Meta) get these; people get `/media/<key>`, which needs a signed-in user.
 *
 * The signature is HMAC-SHA256 over the expiry and the key, under a key
 * derived from APP_KEY with HKDF (so no new secret to configure; changing
 * APP_KEY invalidates the URLs still out, which last an hour).
 */

/** How long a signed URL works: Meta's download and the container polling take seconds to minutes */
export const SIGNED_MEDIA_TTL_MS = 60 * 60_000

const PREFIX = '/media/s'

let signingKey: Buffer | undefined
function key(): Buffer {
  signingKey ??= Buffer.from(
    hkdfSync('sha256', env.get('APP_KEY').release(), 'herald', 'herald:signed-media-url:v1', 32)
  )
  return signingKey
}

function signature(expires: number, storageKey: string): string {
  return createHmac('sha256', key()).update(`${expires}\n${storageKey}`).digest('base64url')
}

function encodeKey(storageKey: string): string {
  return storageKey.split('/').map(encodeURIComponent).join('/')
}

/** The path of a signed URL for a storage key, valid until `expiresAt` */
export function signedMediaPath(storageKey: string, expiresAt: Date): string {
  const expires = Math.floor(expiresAt.getTime() / 1000)
  return `${PREFIX}/${expires}/${signature(expires, storageKey)}/${encodeKey(storageKey)}`
}

/** The absolute signed URL (on APP_URL) of a storage key, valid for `ttlMs` from `now` */
export function signedMediaUrl(
  storageKey: string,
  now: Date = new Date(),
  ttlMs: number = SIGNED_MEDIA_TTL_MS
): string {
  return `${appUrl.replace(/\/+$/, '')}${signedMediaPath(storageKey, new Date(now.getTime() + ttlMs))}`
}

/**
 * Whether a signed URL's parts are genuine and not expired. Constant-time
 * comparison; anything malformed is simply false.
 */
export function verifySignedMedia(
  expires: string,
  given: string,
  storageKey: string,
  now: Date = new Date()
): boolean {
  if (!/^\d{1,12}$/.test(expires) || !/^[A-Za-z0-9_-]{43}$/.test(given)) return false
  const at = Number(expires)
  if (at * 1000 <= now.getTime()) return false
  const expected = Buffer.from(signature(at, storageKey))
  const actual = Buffer.from(given)
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

/** Seconds a signed URL has left (for its Cache-Control) */
export function secondsLeft(expires: string, now: Date = new Date()): number {
  return Math.max(0, Math.floor(Number(expires) - now.getTime() / 1000))
}
