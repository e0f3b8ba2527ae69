import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from '@japa/runner'
import { isPluginError } from '@herald/plugin-sdk'
import { createTestContext } from '@herald/plugin-sdk/testing'
import plugin, { type LocalMediaSettings } from '../src/index.js'
import { imageSize } from '../src/image_size.js'
import { gif, jpeg, png, webp } from './images.js'

const storage = plugin.kinds['media-storage']!

test.group('local-media storage', (group) => {
  let directory = ''
  const context = (signal?: AbortSignal) =>
    createTestContext<LocalMediaSettings>({
      settings: { directory, publicBaseUrl: 'https://herald.example/media/' },
      signal,
    })

  group.each.setup(async () => {
    directory = await mkdtemp(join(tmpdir(), 'herald-local-media-'))
    return () => rm(directory, { recursive: true, force: true })
  })

  test('stores the bytes under the key and reports the URL and pixel size', async ({ assert }) => {
    const bytes = png(640, 480)
    const stored = await storage.put(context(), { bytes, mime: 'image/png', key: '2026/11/a1.png' })
    assert.deepEqual(stored, {
      key: '2026/11/a1.png',
      url: 'https://herald.example/media/2026/11/a1.png',
      width: 640,
      height: 480,
    })
    assert.deepEqual(new Uint8Array(await readFile(join(directory, '2026/11/a1.png'))), bytes)
    assert.deepEqual(await readdir(join(directory, '2026/11')), ['a1.png'])
  })

  test('reads back what it stored; a missing file is a permanent error in words', async ({
    assert,
  }) => {
    const bytes = jpeg(8, 6)
    const stored = await storage.put(context(), { bytes, mime: 'image/jpeg', key: 'r/b.jpg' })
    assert.deepEqual(await storage.read!(context(), stored.key), bytes)
    const error = await storage.read!(context(), 'r/gone.jpg').catch((caught) => caught)
    assert.isTrue(isPluginError(error))
    assert.equal(error.kind, 'Permanent')
    assert.include(error.userMessage, 'no longer in the media folder')
    const outside = await storage.read!(context(), '../x.jpg').catch((caught) => caught)
    assert.equal(outside.kind, 'Permanent')
  })

  test('gives the key the extension of its type', async ({ assert }) => {
    const stored = await storage.put(context(), {
      bytes: jpeg(2, 2),
      mime: 'image/jpeg',
      key: 'x/photo',
    })
    assert.equal(stored.key, 'x/photo.jpg')
    const kept = await storage.put(context(), {
      bytes: jpeg(2, 2),
      mime: 'image/jpeg',
      key: 'x/b.JPEG',
    })
    assert.equal(kept.key, 'x/b.JPEG')
  })

  test('refuses keys that could leave the folder or hide files', async ({ assert }) => {
    for (const key of [
      '../x.png',
      'a/../../x.png',
      '/etc/x.png',
      '.hidden.png',
      'a\\b.png',
      'a//b.png',
      '',
    ]) {
      const error = await storage
        .put(context(), { bytes: png(1, 1), mime: 'image/png', key })
        .catch((caught: unknown) => caught)
      assert.isTrue(
        isPluginError(error) && error.kind === 'Permanent',
        `key ${JSON.stringify(key)}`
      )
    }
    assert.deepEqual(await readdir(directory), [])
  })

  test('an aborted put rejects with the abort reason and leaves no file', async ({ assert }) => {
    const controller = new AbortController()
    controller.abort(new Error('cancelled by the user'))
    const error = await storage
      .put(context(controller.signal), { bytes: png(1, 1), mime: 'image/png', key: 'a.png' })
      .catch((caught: unknown) => caught)
    assert.equal((error as Error).message, 'cancelled by the user')
    assert.isFalse(existsSync(join(directory, 'a.png')))
  })

  test('deletes a file, and deleting a missing key succeeds', async ({ assert }) => {
    const ctx = context()
    const stored = await storage.put(ctx, { bytes: gif(1, 1), mime: 'image/gif', key: 'd/one.gif' })
    await storage.delete(ctx, stored.key)
    assert.isFalse(existsSync(join(directory, 'd/one.gif')))
    await storage.delete(ctx, stored.key)
  })

  test('public URLs join the base URL and the key', async ({ assert }) => {
    assert.equal(
      await storage.publicUrl(context(), '2026/11/a_b-c.png'),
      'https://herald.example/media/2026/11/a_b-c.png'
    )
  })

  test('reads the pixel size of PNG, JPEG, GIF and WebP headers', ({ assert }) => {
    assert.deepEqual(imageSize(png(1200, 630)), { width: 1200, height: 630 })
    assert.deepEqual(imageSize(jpeg(1080, 1350)), { width: 1080, height: 1350 })
    assert.deepEqual(imageSize(gif(320, 240)), { width: 320, height: 240 })
    assert.deepEqual(imageSize(webp(2048, 1024)), { width: 2048, height: 1024 })
    assert.isUndefined(imageSize(new TextEncoder().encode('not an image')))
  })
})
