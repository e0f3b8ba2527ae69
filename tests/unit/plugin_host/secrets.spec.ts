import { test } from '@japa/runner'
import { randomBytes } from 'node:crypto'
import { SecretsError, SecretsKeyring } from '#services/secrets'

const APP_KEY = 'an-app-key-of-reasonable-length-for-tests'

test.group('Secrets keyring (AES-256-GCM)', () => {
  test('round-trips a value as v1:<keyId>:<data> with a fresh nonce each time', ({ assert }) => {
    const keyring = new SecretsKeyring([randomBytes(32)])
    const first = keyring.encrypt('sk-live-1234567890', 'plugin:x:apiKey')
    const second = keyring.encrypt('sk-live-1234567890', 'plugin:x:apiKey')
    assert.match(first, new RegExp(`^v1:${keyring.primaryKeyId}:[A-Za-z0-9_-]+$`))
    assert.notEqual(first, second)
    assert.notInclude(first, 'sk-live')
    assert.equal(keyring.decrypt(first, 'plugin:x:apiKey'), 'sk-live-1234567890')
  })

  test('binds a ciphertext to its context', ({ assert }) => {
    const keyring = new SecretsKeyring([randomBytes(32)])
    const sealed = keyring.encrypt('token', 'plugin:x:apiKey')
    assert.throws(
      () => keyring.decrypt(sealed, 'plugin:y:apiKey'),
      /altered or belongs to another record/
    )
  })

  test('detects tampering', ({ assert }) => {
    const keyring = new SecretsKeyring([randomBytes(32)])
    const sealed = keyring.encrypt('token')
    const [version, id, data] = sealed.split(':')
    const bytes = Buffer.from(data, 'base64url')
    bytes[bytes.length - 20] ^= 1
    assert.throws(
      () => keyring.decrypt(`${version}:${id}:${bytes.toString('base64url')}`),
      SecretsError
    )
  })

  test('rotates: the first key encrypts, every key decrypts', ({ assert }) => {
    const oldKey = randomBytes(32).toString('base64')
    const newKey = randomBytes(32).toString('base64')
    const before = SecretsKeyring.fromConfig(oldKey, APP_KEY)
    const sealed = before.encrypt('refresh-token-value')

    const after = SecretsKeyring.fromConfig(`${newKey},${oldKey}`, APP_KEY)
    assert.equal(after.decrypt(sealed), 'refresh-token-value')
    assert.isTrue(after.needsRotation(sealed))
    const resealed = after.encrypt(after.decrypt(sealed))
    assert.isFalse(after.needsRotation(resealed))
    assert.equal(resealed.split(':')[1], after.primaryKeyId)

    const dropped = SecretsKeyring.fromConfig(newKey, APP_KEY)
    assert.throws(() => dropped.decrypt(sealed), /not in SECRETS_KEY; add that key back/)
  })

  test('setting SECRETS_KEY later keeps what the APP_KEY-derived key encrypted readable', ({
    assert,
  }) => {
    const derivedOnly = SecretsKeyring.fromConfig(undefined, APP_KEY)
    const sealed = derivedOnly.encrypt('access-token-before-rotation', 'account:1:access_token')
    const newKey = randomBytes(32).toString('base64')
    const configured = SecretsKeyring.fromConfig(newKey, APP_KEY)
    assert.notEqual(configured.primaryKeyId, derivedOnly.primaryKeyId)
    assert.equal(
      configured.decrypt(sealed, 'account:1:access_token'),
      'access-token-before-rotation'
    )
    assert.isTrue(configured.needsRotation(sealed))
    assert.deepEqual(configured.keyIds, [configured.primaryKeyId, derivedOnly.primaryKeyId])
  })

  test('derives the key from APP_KEY when SECRETS_KEY is unset, and never from a short key', ({
    assert,
  }) => {
    const one = SecretsKeyring.fromConfig(undefined, APP_KEY)
    const two = SecretsKeyring.fromConfig('', APP_KEY)
    assert.equal(one.primaryKeyId, two.primaryKeyId)
    assert.equal(two.decrypt(one.encrypt('x')), 'x')
    assert.notEqual(
      SecretsKeyring.fromConfig(undefined, `${APP_KEY}!`).primaryKeyId,
      one.primaryKeyId
    )
    assert.throws(() => SecretsKeyring.fromConfig('short', APP_KEY), /at least 32/)
    const passphrase = SecretsKeyring.fromConfig(
      'a long passphrase that is not base64 at all!',
      APP_KEY
    )
    assert.equal(passphrase.decrypt(passphrase.encrypt('y')), 'y')
  })

  test('errors never contain the value', ({ assert }) => {
    const keyring = new SecretsKeyring([randomBytes(32)])
    const other = new SecretsKeyring([randomBytes(32)])
    const sealed = keyring.encrypt('the-secret-value')
    for (const attempt of [() => other.decrypt(sealed), () => keyring.decrypt(sealed, 'other')]) {
      try {
        attempt()
        assert.fail('should throw')
      } catch (error) {
        assert.notInclude(String((error as Error).message), 'the-secret-value')
      }
    }
  })
})
