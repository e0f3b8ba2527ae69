import { test } from '@japa/runner'
import type { PublisherLimits } from '@herald/plugin-sdk'
import { cropInto, planMedia } from '#publishing/media_plan'

const base: PublisherLimits = {
  countCharacters: 'plain',
  maxChars: 2200,
  maxMedia: 10,
  mediaTypes: ['image/jpeg'],
  maxMediaBytes: 8 * 1024 * 1024,
  requiresMedia: true,
  maxThreadParts: 1,
}
const instagram: PublisherLimits = { ...base, aspectRatio: { min: 0.8, max: 1.91 } }

/** How an image goes to a network (docs/architecture.md §8.12): pure, no I/O */
test.group('Media plan', () => {
  test('an accepted type within the range goes as it is', ({ assert }) => {
    assert.deepEqual(planMedia({ mime: 'image/jpeg', width: 1080, height: 1080 }, instagram), {
      variant: null,
      mime: 'image/jpeg',
      width: 1080,
      height: 1080,
      reasons: [],
    })
  })

  test('a PNG becomes a JPEG; a too-tall or too-wide image is cropped to the nearest bound', ({
    assert,
  }) => {
    assert.deepEqual(planMedia({ mime: 'image/png', width: 1024, height: 1024 }, instagram), {
      variant: 'jpeg',
      mime: 'image/jpeg',
      width: 1024,
      height: 1024,
      reasons: ['type'],
    })
    const tall = planMedia({ mime: 'image/jpeg', width: 1080, height: 1920 }, instagram)
    assert.deepEqual([tall.variant, tall.width, tall.height], ['jpeg-1080x1350', 1080, 1350])
    assert.deepEqual(tall.reasons, ['ratio'])
    const wide = planMedia({ mime: 'image/png', width: 3000, height: 1000 }, instagram)
    assert.deepEqual([wide.variant, wide.width, wide.height], ['jpeg-1910x1000', 1910, 1000])
    assert.deepEqual(wide.reasons, ['type', 'ratio'])
  })

  test('the crop keeps the full side and lands inside the range', ({ assert }) => {
    assert.isUndefined(cropInto(800, 1000, { min: 0.8, max: 1.91 }))
    for (const [width, height] of [
      [51, 64],
      [600, 1200],
      [1500, 600],
      [7, 3000],
    ]) {
      const crop = cropInto(width, height, { min: 0.8, max: 1.91 })!
      const ratio = crop.width / crop.height
      assert.isAtLeast(ratio, 0.8, `${width}x${height}`)
      assert.isAtMost(ratio, 1.91, `${width}x${height}`)
      assert.isTrue(crop.width === width || crop.height === height)
    }
  })

  test('without a type the network takes that Herald can write, nothing is planned; unknown sizes are not cropped', ({
    assert,
  }) => {
    const videoOnly = { ...base, mediaTypes: ['video/mp4'] }
    assert.isNull(planMedia({ mime: 'image/png', width: 10, height: 10 }, videoOnly).variant)
    assert.equal(
      planMedia({ mime: 'image/png', width: null, height: null }, instagram).variant,
      'jpeg'
    )
    assert.isNull(planMedia({ mime: 'image/jpeg', width: null, height: null }, instagram).variant)
  })
})
