import { test } from '@japa/runner'
import type { ImageRequest } from '@herald/plugin-sdk'
import { createTestContext } from '@herald/plugin-sdk/testing'
import plugin, { createOpenRouterPlugin } from '../src/index.js'
import { closestAspectRatio } from '../src/image.js'
import { decodeDataUrl, sniffImage } from '../src/image_bytes.js'
import type { OpenRouterSettings } from '../src/settings.js'
import { createPng, pngSize } from './fake_images.js'
import { FakeOpenRouter } from './fake_openrouter.js'
import { pluginError, settingsOf } from './helpers.js'

const fake = new FakeOpenRouter()
const image = plugin.kinds['ai-image']!
const GEMINI = 'google/gemini-2.5-flash-image'
const FLUX = 'black-forest-labs/flux.2-pro'
const request: ImageRequest = {
  model: GEMINI,
  prompt: 'A sunset over the mountains',
  aspectRatio: '16:9',
}
const promptTokens = Math.ceil(request.prompt.length / 4)

function context() {
  return createTestContext<OpenRouterSettings>({ settings: settingsOf(fake) })
}

async function mimeOf(generator = plugin.kinds['ai-image']!): Promise<string> {
  const result = await generator.generateImage(context(), request)
  return result.images[0].mime
}

test.group('openrouter / image bytes', () => {
  test('maps any aspect ratio to the closest one OpenRouter supports', ({ assert }) => {
    assert.equal(closestAspectRatio('16:9'), '16:9')
    assert.equal(closestAspectRatio('1.91:1'), '16:9')
    assert.equal(closestAspectRatio('5:7'), '3:4')
    assert.equal(closestAspectRatio('1:3'), '9:16')
    assert.equal(closestAspectRatio('3:1'), '21:9')
    assert.throws(() => closestAspectRatio('wide' as never), /not an aspect ratio/)
  })

  test('recognises images by their bytes, never by their label', ({ assert }) => {
    const png = createPng({ width: 4, height: 3 })
    assert.equal(sniffImage(png), 'image/png')
    assert.isUndefined(sniffImage(png.subarray(0, 20)), 'a truncated PNG has no IHDR')
    assert.isUndefined(sniffImage(new TextEncoder().encode('GIF89a-not-accepted')))
    const decoded = decodeDataUrl(`data:image/jpeg;base64,${png.toString('base64')}`, 1000, 'm')
    assert.equal(decoded.declared, 'image/jpeg')
    assert.equal(sniffImage(decoded.bytes), 'image/png')
    assert.throws(() => decodeDataUrl('data:image/png,rawbytes', 1000, 'm'), /not base64-encoded/)
  })
})

test.group('openrouter / generateImage', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('returns the PNG the model drew, with its type and cost', async ({ assert }) => {
    const result = await image.generateImage(context(), request)
    assert.lengthOf(result.images, 1)
    const [png] = result.images
    assert.equal(png.mime, 'image/png')
    assert.deepEqual(Buffer.from(png.bytes), fake.lastImages[0])
    assert.deepEqual(pngSize(png.bytes), { width: 64, height: 36 })
    assert.closeTo(result.usage.costUsd!, promptTokens * 0.0000003 + 1290 * 0.00003, 1e-12)
    const [sent] = fake.requestsTo('/chat/completions')
    assert.deepEqual(sent.body, {
      model: GEMINI,
      messages: [{ role: 'user', content: request.prompt }],
      modalities: ['image', 'text'],
      image_config: { aspect_ratio: '16:9' },
      stream: false,
      usage: { include: true },
    })
  })

  test('sends the closest supported aspect ratio, and none when not asked', async ({ assert }) => {
    const result = await image.generateImage(context(), { ...request, aspectRatio: '1.91:1' })
    assert.deepEqual(pngSize(result.images[0].bytes), { width: 64, height: 36 })
    const plain = await image.generateImage(context(), { model: GEMINI, prompt: 'A cat' })
    assert.deepEqual(pngSize(plain.images[0].bytes), { width: 64, height: 64 })
    const [ratio, none] = fake.requestsTo('/chat/completions')
    assert.deepEqual(ratio.body!.image_config, { aspect_ratio: '16:9' })
    assert.notProperty(none.body!, 'image_config')
  })

  test('asks image-only models for images only', async ({ assert }) => {
    const result = await image.generateImage(context(), {
      ...request,
      model: FLUX,
      aspectRatio: '4:5',
    })
    assert.equal(result.images[0].mime, 'image/png')
    assert.deepEqual(pngSize(result.images[0].bytes), { width: 51, height: 64 })
    assert.closeTo(result.usage.costUsd!, 0.04, 1e-12)
    const [sent] = fake.requestsTo('/chat/completions')
    assert.deepEqual(sent.body!.modalities, ['image'])
  })

  test('falls back to image+text when the model list cannot be read', async ({ assert }) => {
    fake.fail(500, { path: 'models' })
    const fresh = createOpenRouterPlugin({ modelCacheMs: 0 }).kinds['ai-image']!
    const result = await fresh.generateImage(context(), request)
    assert.equal(result.images[0].mime, 'image/png')
    assert.deepEqual(fake.requestsTo('/chat/completions')[0].body!.modalities, ['image', 'text'])
  })

  test('takes the type from the bytes: JPEG labelled PNG, WebP, no type field', async ({
    assert,
  }) => {
    fake.imageMode = 'mislabelled-jpeg'
    assert.equal(await mimeOf(), 'image/jpeg')
    fake.imageMode = 'webp'
    assert.equal(await mimeOf(), 'image/webp')
    fake.imageMode = 'no-type-field'
    assert.equal(await mimeOf(), 'image/png')
  })

  test('returns every image of the answer', async ({ assert }) => {
    fake.imageMode = 'two-pngs'
    const result = await image.generateImage(context(), request)
    assert.deepEqual(
      result.images.map((item) => Buffer.from(item.bytes)),
      fake.lastImages
    )
    assert.notDeepEqual(fake.lastImages[0], fake.lastImages[1])
  })

  test('downloads an image returned as a link, without the API key', async ({ assert }) => {
    fake.imageMode = 'url'
    const result = await image.generateImage(context(), request)
    assert.deepEqual(Buffer.from(result.images[0].bytes), fake.lastImages[0])
    const [download] = fake.requests.filter((item) => item.path.startsWith('/files/'))
    assert.isUndefined(download.headers.authorization)
  })

  test('refuses a GIF with a clear Permanent error', async ({ assert }) => {
    fake.imageMode = 'gif'
    const error = await pluginError(image.generateImage(context(), request), 'Permanent')
    assert.equal(
      error.message,
      `The model "${GEMINI}" returned a GIF image; Herald accepts only PNG, JPEG or WebP from image models.`
    )
  })

  test('refuses data that is not an image', async ({ assert }) => {
    fake.imageMode = 'garbage'
    const error = await pluginError(image.generateImage(context(), request), 'Permanent')
    assert.equal(
      error.message,
      `The model "${GEMINI}" returned data that is not a PNG, JPEG or WebP image (it was labelled image/png).`
    )
  })

  test('refuses an image over 20 MB', async ({ assert }) => {
    fake.imageMode = 'oversized'
    const error = await pluginError(image.generateImage(context(), request), 'Permanent')
    assert.match(error.message, /returned an image of 21\.0 MB, over the 20\.0 MB limit/)
  })

  test('applies a configured size limit', async ({ assert }) => {
    const small = createOpenRouterPlugin({ maxImageBytes: 100_000 }).kinds['ai-image']!
    assert.equal(await mimeOf(small), 'image/png')
    fake.imageMode = 'oversized'
    fake.oversizedBytes = 150_000
    const error = await pluginError(small.generateImage(context(), request), 'Permanent')
    assert.equal(error.toJSON().code, 'image_too_large')
  })

  test('an answer without images is Permanent and quotes the model', async ({ assert }) => {
    fake.imageMode = 'none'
    const error = await pluginError(image.generateImage(context(), request), 'Permanent')
    assert.include(error.message, `The model "${GEMINI}" returned no image`)
    assert.include(error.message, 'I cannot draw that')
  })

  test('a text-only model is Permanent and named', async ({ assert }) => {
    const error = await pluginError(
      image.generateImage(context(), { ...request, model: 'openai/gpt-4o-mini' }),
      'Permanent'
    )
    assert.include(error.message, '"openai/gpt-4o-mini"')
  })

  test('refuses an empty prompt or model before any request', async ({ assert }) => {
    await pluginError(image.generateImage(context(), { ...request, prompt: ' ' }), 'Permanent')
    await pluginError(image.generateImage(context(), { ...request, model: '' }), 'Permanent')
    await pluginError(
      image.generateImage(context(), { ...request, aspectRatio: 'x:y' as never }),
      'Permanent'
    )
    assert.lengthOf(fake.requestsTo('/chat/completions'), 0)
  })
})
