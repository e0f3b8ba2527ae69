import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'
import env from '#start/env'

/** Format version written in front of every ciphertext. */
const VERSION = 'v1'
const NONCE_BYTES = 12
const TAG_BYTES = 16
const KEY_BYTES = 32
/** Raw SECRETS_KEY entries shorter than this are refused (they would be guessable). */
const MIN_KEY_CHARS = 32

/** A value could not be encrypted or decrypted. The message never contains the value. */
export class SecretsError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SecretsError'
  }
}

/** One key of the keyring. */
interface KeyringKey {
  /** Short public id written into ciphertexts (not derived reversibly from the key). */
  id: string
  key: Buffer
}

/**
 * Key material from one SECRETS_KEY entry: 32 bytes written as base64/base64url are used as they are;
 * any other string of at least 32 characters goes through HKDF-SHA256.
 */
function keyFromEntry(entry: string): Buffer {
  const decoded = Buffer.from(entry, 'base64')
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(entry) && decoded.length === KEY_BYTES) return decoded
  if (entry.length < MIN_KEY_CHARS) {
    throw new SecretsError(
      `A SECRETS_KEY entry has ${entry.length} characters; use at least ${MIN_KEY_CHARS} (e.g. openssl rand -base64 32)`
    )
  }
  return derive(entry, 'herald:secrets-key:v1')
}

function derive(material: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', material, 'herald', info, KEY_BYTES))
}

function keyId(key: Buffer): string {
  return createHmac('sha256', key).update('herald secrets key id').digest('hex').slice(0, 8)
}

/**
 * Encrypts secrets at rest (plugin settings, platform tokens) with AES-256-GCM: a random 12-byte nonce
 * per value, the key id in the ciphertext (`v1:<keyId>:<base64url(nonce | ciphertext | tag)>`), and an
 * optional context (e.g. `plugin:cloudinary:apiSecret`) bound as associated data, so a ciphertext
 * moved to another row does not decrypt.
 *
 * The first key encrypts; every key decrypts, so keys rotate without re-encrypting first.
 */
export class SecretsKeyring {
  readonly #keys: KeyringKey[]

  constructor(keys: Buffer[]) {
    if (keys.length === 0) throw new SecretsError('The secrets keyring needs at least one key')
    this.#keys = keys.map((key) => {
      if (key.length !== KEY_BYTES) throw new SecretsError('Secrets keys must be 32 bytes')
      return { id: keyId(key), key }
    })
  }

  /**
   * The keyring from SECRETS_KEY (comma-separated, newest first), or a key derived from APP_KEY with
   * HKDF when SECRETS_KEY is unset. With SECRETS_KEY set, the APP_KEY-derived key stays last, for
   * reading only: an install that ran without SECRETS_KEY can set one and run `secrets:rotate`
   * without losing what the derived key encrypted (it cannot be written as a SECRETS_KEY entry).
   */
  static fromConfig(secretsKey: string | undefined, appKey: string): SecretsKeyring {
    const entries = (secretsKey ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
    const derived = derive(appKey, 'herald:secrets-from-app-key:v1')
    if (entries.length === 0) return new SecretsKeyring([derived])
    const keys = entries.map(keyFromEntry)
    if (!keys.some((key) => key.equals(derived))) keys.push(derived)
    return new SecretsKeyring(keys)
  }

  /** Id of the key new values are encrypted with. */
  get primaryKeyId(): string {
    return this.#keys[0].id
  }

  /** Ids of every key that can decrypt. */
  get keyIds(): string[] {
    return this.#keys.map((key) => key.id)
  }

  encrypt(plaintext: string, context = ''): string {
    const { id, key } = this.#keys[0]
    const nonce = randomBytes(NONCE_BYTES)
    const cipher = createCipheriv('aes-256-gcm', key, nonce)
    cipher.setAAD(this.#aad(id, context))
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    const sealed = Buffer.concat([nonce, body, cipher.getAuthTag()])
    return `${VERSION}:${id}:${sealed.toString('base64url')}`
  }

  decrypt(payload: string, context = ''): string {
    const [version, id, data, extra] = payload.split(':')
    if (version !== VERSION || !id || !data || extra !== undefined) {
      throw new SecretsError('The stored secret is not in the v1:<keyId>:<data> format')
    }
    const match = this.#keys.find((candidate) => candidate.id === id)
    if (!match) {
      throw new SecretsError(
        `The stored secret was encrypted with key ${id}, which is not in SECRETS_KEY; add that key back after the current one`
      )
    }
    const sealed = Buffer.from(data, 'base64url')
    if (sealed.length < NONCE_BYTES + TAG_BYTES)
      throw new SecretsError('The stored secret is cut short')
    const decipher = createDecipheriv('aes-256-gcm', match.key, sealed.subarray(0, NONCE_BYTES))
    decipher.setAAD(this.#aad(id, context))
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES))
    try {
      return Buffer.concat([
        decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8')
    } catch {
      throw new SecretsError(
        'The stored secret could not be decrypted: it was altered or belongs to another record'
      )
    }
  }

  /** Whether a ciphertext was made with an older key (re-encrypt it with `encrypt(decrypt(value))`). */
  needsRotation(payload: string): boolean {
    return payload.split(':')[1] !== this.primaryKeyId
  }

  #aad(id: string, context: string): Buffer {
    return Buffer.from(`${VERSION}:${id}:${context}`, 'utf8')
  }
}

/** The app's keyring, from SECRETS_KEY or APP_KEY. */
const secrets = SecretsKeyring.fromConfig(env.get('SECRETS_KEY'), env.get('APP_KEY').release())
export default secrets
