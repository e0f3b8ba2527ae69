import { test } from '@japa/runner'
import { isPluginError } from '@herald/plugin-sdk'
import { createTestContext } from '@herald/plugin-sdk/testing'
import plugin, { type CloudinarySettings } from '../src/index.js'
import { cloudinarySignature, cloudinaryStringToSign, FakeCloudinary } from './fake_cloudinary.js'
import { png } from './images.js'

const storage = plugin.kinds['media-storage']!

test.group('cloudinary storage against the fake Upload API', (group) => {
  const fake = new FakeCloudinary()
  const context = (overrides: Partial<CloudinarySettings> = {}) =>
    createTestContext<CloudinarySettings>({
      settings: {
        cloudName: fake.cloudName,
        apiKey: fake.apiKey,
        apiSecret: fake.apiSecret,
        folder: 'herald',
        apiBaseUrl: fake.url,
        ...overrides,
      },
    })

  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('uploads with a valid signature and returns the delivery URL, key and size', async ({
    assert,
  }) => {
    const ctx = context()
    const stored = await storage.put(ctx, {
      bytes: png(1200, 630),
      mime: 'image/png',
      key: '2026/11/a1b2.png',
    })
    assert.equal(stored.key, 'image/herald/2026/11/a1b2')
    assert.match(
      stored.url,
      /^https:\/\/res\.cloudinary\.com\/herald-test\/image\/upload\/v\d+\/herald\/2026\/11\/a1b2\.png$/
    )
    assert.equal(stored.width, 1200)
    assert.equal(stored.height, 630)
    assert.isTrue(fake.assets.has('image/herald/2026/11/a1b2'))

    const [request] = fake.requests
    assert.equal(request.path, '/v1_1/herald-test/image/upload')
    assert.isTrue(request.hasFile)
    assert.deepEqual(Object.keys(request.fields).sort(), [
      'api_key',
      'overwrite',
      'public_id',
      'signature',
      'timestamp',
    ])
    assert.deepEqual(
      ctx.requests.map((call) => new URL(call.url).host),
      [new URL(fake.url).host]
    )
    assert.notInclude(ctx.logger.text(), fake.apiSecret)
  })

  test('signs with SHA-256 when the account uses it', async ({ assert }) => {
    const sha256 = new FakeCloudinary({ signatureAlgorithm: 'sha256' })
    await sha256.start()
    try {
      const ctx = createTestContext<CloudinarySettings>({
        settings: {
          cloudName: sha256.cloudName,
          apiKey: sha256.apiKey,
          apiSecret: sha256.apiSecret,
          apiBaseUrl: sha256.url,
          signatureAlgorithm: 'sha256',
        },
      })
      const stored = await storage.put(ctx, { bytes: png(1, 1), mime: 'image/png', key: 'k.png' })
      assert.equal(stored.key, 'image/k')
      const refused = await storage
        .put(
          { ...ctx, settings: { ...ctx.settings, signatureAlgorithm: 'sha1' } },
          {
            bytes: png(1, 1),
            mime: 'image/png',
            key: 'k.png',
          }
        )
        .catch((error: unknown) => error)
      assert.isTrue(isPluginError(refused) && refused.kind === 'Permanent')
    } finally {
      await sha256.stop()
    }
  })

  test('videos and other files use their resource type', async ({ assert }) => {
    const ctx = context({ folder: '' })
    const video = await storage.put(ctx, {
      bytes: new Uint8Array([0, 0, 0, 24, 102, 116, 121, 112]),
      mime: 'video/mp4',
      key: 'clips/intro.mp4',
    })
    assert.equal(video.key, 'video/clips/intro')
    const raw = await storage.put(ctx, {
      bytes: new TextEncoder().encode('%PDF-1.7'),
      mime: 'application/pdf',
      key: 'docs/brief.pdf',
    })
    assert.equal(raw.key, 'raw/docs/brief.pdf')
  })

  test('a non-image sent as an image is refused as Permanent with Cloudinary’s words', async ({
    assert,
  }) => {
    const error = await storage
      .put(context(), { bytes: new TextEncoder().encode('hello'), mime: 'image/png', key: 'x.png' })
      .catch((caught: unknown) => caught)
    assert.isTrue(isPluginError(error) && error.kind === 'Permanent')
    assert.equal((error as { platformMessage?: string }).platformMessage, 'Invalid image file')
  })

  test('deletes an asset, and deleting a missing one succeeds', async ({ assert }) => {
    const ctx = context()
    const stored = await storage.put(ctx, { bytes: png(2, 2), mime: 'image/png', key: 'gone.png' })
    await storage.delete(ctx, stored.key)
    assert.isFalse(fake.assets.has(stored.key))
    await storage.delete(ctx, stored.key)
    assert.equal(fake.requests.at(-1)?.path, '/v1_1/herald-test/image/destroy')
  })

  test('public URLs are Cloudinary delivery URLs without tracking parameters', async ({
    assert,
  }) => {
    assert.equal(
      await storage.publicUrl(context(), 'image/herald/2026/11/a1b2'),
      'https://res.cloudinary.com/herald-test/image/upload/v1/herald/2026/11/a1b2'
    )
    const error = await storage.publicUrl(context(), 'no-type').catch((caught: unknown) => caught)
    assert.isTrue(isPluginError(error) && error.kind === 'Permanent')
  })
})

test.group('fake Cloudinary', () => {
  test('signs like the documented example', ({ assert }) => {
    const params = {
      eager: 'w_400,h_300,c_pad|w_260,h_200,c_crop',
      public_id: 'sample_image',
      timestamp: '1315060510',
      api_key: '1234',
      file: 'ignored',
    }
    assert.equal(
      cloudinaryStringToSign(params),
      'eager=w_400,h_300,c_pad|w_260,h_200,c_crop&public_id=sample_image&timestamp=1315060510'
    )
    assert.equal(cloudinarySignature(params, 'abcd'), 'bfd09f95f331f558cbd1320e67aa8d488770583e')
  })

  test('writes & inside a value as %26 before signing (signature version 2)', ({ assert }) => {
    assert.equal(
      cloudinaryStringToSign({ folder: 'a&b', timestamp: '1' }),
      'folder=a%26b&timestamp=1'
    )
  })

  test('answers unsigned, stale and badly signed uploads like the real API', async ({ assert }) => {
    const fake = new FakeCloudinary()
    await fake.start()
    try {
      const upload = async (fields: Record<string, string>) => {
        const form = new FormData()
        for (const [name, value] of Object.entries(fields)) form.set(name, value)
        form.set('file', new Blob([png(1, 1) as Uint8Array<ArrayBuffer>]), 'x.png')
        const response = await fetch(`${fake.url}/v1_1/${fake.cloudName}/image/upload`, {
          method: 'POST',
          body: form,
        })
        return {
          status: response.status,
          body: (await response.json()) as { error?: { message: string } },
        }
      }
      const now = String(Math.floor(Date.now() / 1000))
      const signed = (fields: Record<string, string>) => ({
        ...fields,
        api_key: fake.apiKey,
        signature: cloudinarySignature(fields, fake.apiSecret),
      })

      const unsigned = await upload({ timestamp: now })
      assert.equal(unsigned.body.error?.message, 'Must supply api_key')
      const wrongKey = await upload({ timestamp: now, api_key: 'x', signature: 'y' })
      assert.equal(wrongKey.status, 401)
      const stale = await upload(signed({ timestamp: String(Number(now) - 3601) }))
      assert.equal(stale.status, 400)
      assert.match(stale.body.error!.message, /^Stale request/)
      const forged = await upload({ ...signed({ timestamp: now }), public_id: 'swapped' })
      assert.equal(forged.status, 401)
      assert.match(
        forged.body.error!.message,
        /^Invalid Signature .* String to sign - 'public_id=swapped&timestamp=\d+'\.$/
      )
      const valid = await upload(signed({ timestamp: now }))
      assert.equal(valid.status, 200)
    } finally {
      await fake.stop()
    }
  })
})
