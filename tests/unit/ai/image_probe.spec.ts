import { test } from '@japa/runner'
import sharp from 'sharp'
import { probeImage, sniffImageType } from '#services/image_probe'

const image = (format: 'png' | 'jpeg' | 'webp' | 'gif') =>
  sharp({ create: { width: 30, height: 20, channels: 3, background: '#3366cc' } })
    [format]()
    .toBuffer()

test.group('Image probe', () => {
  test('JPEG, PNG, WebP and GIF are recognised by their bytes, with their size', async ({
    assert,
  }) => {
    for (const format of ['png', 'jpeg', 'webp', 'gif'] as const) {
      const probed = await probeImage(await image(format))
      assert.deepEqual(probed, { mime: `image/${format}`, width: 30, height: 20 })
    }
  })

  test('names and labels do not count: text, SVG, BMP and damaged headers are refused', async ({
    assert,
  }) => {
    assert.isUndefined(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')))
    assert.isUndefined(sniffImageType(Buffer.from('BM6\0\0\0')))
    await assert.rejects(() => probeImage(Buffer.from('hello')), /not a JPEG, PNG, WebP or GIF/)
    const png = await image('png')
    await assert.rejects(() => probeImage(png.subarray(0, 12)), /damaged or incomplete/)
  })

  test('an animated GIF reports the size of one frame', async ({ assert }) => {
    const frames = await sharp({
      create: { width: 10, height: 40, channels: 3, background: '#000' },
    })
      .gif()
      .toBuffer()
    const animated = await sharp(frames, { animated: true }).gif({ loop: 0 }).toBuffer()
    const probed = await probeImage(animated)
    assert.equal(probed.width, 10)
  })
})
