import { test } from '@japa/runner'
import type { DraftMedia, PublishDraft } from '@herald/plugin-sdk'
import plugin, { weightedLength } from '../src/index.js'
import { FakeX } from './fake_x.js'
import { contextOf, publishInput } from './helpers.js'

const publisher = plugin.kinds.publisher!
const draft = (...texts: string[]): PublishDraft => ({
  parts: texts.map((text) => ({ text, media: [] })),
})
const withMedia = (media: DraftMedia[], text = 'Look'): PublishDraft => ({
  parts: [{ text, media }],
})
const jpeg = (extra: Partial<DraftMedia> = {}): DraftMedia => ({
  mime: 'image/jpeg',
  size: 1000,
  ...extra,
})
const LONG_URL = `https://example.com/${'path/'.repeat(30)}end`

test.group('x / limits and preview', () => {
  test('declares X weighted counting, 280 characters, 4 images of 5 MB and 25-part threads', ({
    assert,
  }) => {
    assert.deepEqual(publisher.limits, {
      countCharacters: 'twitter-weighted',
      maxChars: 280,
      maxMedia: 4,
      mediaTypes: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'],
      maxMediaBytes: 5 * 1024 * 1024,
      requiresMedia: false,
      maxThreadParts: 25,
      postsPer24Hours: 17,
    })
    assert.deepEqual(publisher.preview, {
      mediaAspect: '16:9',
      mediaLayout: 'grid',
      linkCard: true,
    })
  })
})

test.group('x / weighted character counting', () => {
  test('a link weighs 23 whatever its length', ({ assert }) => {
    assert.isAbove(LONG_URL.length, 150)
    assert.equal(weightedLength(LONG_URL), 23)
    assert.equal(weightedLength(`Menu: ${LONG_URL}`), 6 + 23)
    assert.equal(weightedLength('see example.com today'), 4 + 23 + 6)
  })

  test('emoji weigh 2, a whole ZWJ family sequence too', ({ assert }) => {
    assert.equal(weightedLength('🌸'), 2)
    assert.equal(weightedLength('👨‍👩‍👧‍👦'), 2)
    assert.equal(weightedLength('Hi 👋'), 5)
  })

  test('CJK characters weigh 2, Latin with accents 1 (after NFC)', ({ assert }) => {
    assert.equal(weightedLength('日本語'), 6)
    assert.equal(weightedLength('한국어'), 6)
    assert.equal(weightedLength('café'), 4)
    assert.equal(weightedLength('cafe\u0301'), 4)
  })

  test('the limit is applied on the weighted count, not on string length', ({ assert }) => {
    const withLink = `${'a'.repeat(256)} ${LONG_URL}`
    assert.isAbove(withLink.length, 280)
    assert.equal(weightedLength(withLink), 280)
    assert.deepEqual(publisher.validate(draft(withLink)), [])

    const emoji = '🌸'.repeat(140)
    assert.deepEqual(publisher.validate(draft(emoji)), [])
    const issues = publisher.validate(draft(`${emoji}!`))
    assert.lengthOf(issues, 1)
    assert.equal(issues[0].field, 'parts.0.text')
    assert.include(issues[0].message, '281 characters')
    assert.include(issues[0].message, 'Remove 1')

    assert.deepEqual(publisher.validate(draft('字'.repeat(140))), [])
    assert.equal(publisher.validate(draft('字'.repeat(141)))[0].field, 'parts.0.text')
  })
})

test.group('x / validate', () => {
  test('accepts a short post, a post with 4 images and a post with only an image', ({ assert }) => {
    assert.deepEqual(publisher.validate(draft('Hello')), [])
    assert.deepEqual(publisher.validate(withMedia([jpeg(), jpeg(), jpeg(), jpeg()])), [])
    assert.deepEqual(publisher.validate(withMedia([jpeg()], '')), [])
  })

  test('flags an empty post and an empty draft', ({ assert }) => {
    assert.deepEqual(publisher.validate(draft('   ')), [
      { field: 'parts.0.text', message: 'The post is empty: write some text or add an image.' },
    ])
    assert.equal(publisher.validate({ parts: [] })[0].field, 'parts')
  })

  test('flags too many images, a wrong type, an oversized image and a GIF among others', ({
    assert,
  }) => {
    const five = publisher.validate(withMedia([jpeg(), jpeg(), jpeg(), jpeg(), jpeg()]))
    assert.deepEqual(five, [
      { field: 'parts.0.media', message: 'The post has 5 images; X allows at most 4 per post.' },
    ])

    const types = publisher.validate(withMedia([jpeg(), { mime: 'video/mp4', size: 10 }]))
    assert.deepEqual(types, [
      {
        field: 'parts.0.media.1',
        message: 'Image 2 is video/mp4; X accepts JPEG, PNG, WEBP and GIF images.',
      },
    ])

    const big = publisher.validate(withMedia([jpeg({ size: 6 * 1024 * 1024 })]))
    assert.deepEqual(big, [
      { field: 'parts.0.media.0', message: 'Image 1 is 6.0 MB; X accepts JPEG up to 5.0 MB.' },
    ])
    assert.deepEqual(publisher.validate(withMedia([jpeg({ size: 5 * 1024 * 1024 })])), [])

    const gif = publisher.validate(withMedia([{ mime: 'image/gif', size: 10 }, jpeg()]))
    assert.equal(gif[0].field, 'parts.0.media')
    assert.include(gif[0].message, 'GIF must be the only image')
    assert.deepEqual(publisher.validate(withMedia([{ mime: 'image/gif', size: 10 }])), [])
  })

  test('flags alt text over 1,000 characters', ({ assert }) => {
    const issues = publisher.validate(withMedia([jpeg({ altText: 'a'.repeat(1001) })]))
    assert.deepEqual(issues, [
      {
        field: 'parts.0.media.0',
        message: 'The alt text of image 1 is 1001 characters long; X allows 1,000.',
      },
    ])
  })

  test('checks each thread part and names the part', ({ assert }) => {
    const issues = publisher.validate({
      parts: [
        { text: 'One', media: [] },
        { text: 'b'.repeat(300), media: [] },
        { text: '', media: [] },
        { text: 'Four', media: [jpeg(), { mime: 'image/bmp', size: 1 }] },
      ],
    })
    assert.deepEqual(
      issues.map((issue) => issue.field),
      ['parts.1.text', 'parts.2.text', 'parts.3.media.1']
    )
    assert.match(issues[0].message, /^Post 2 of the thread is 300 characters long/)
    assert.equal(
      issues[1].message,
      'Post 3 of the thread is empty: write some text or add an image.'
    )
    assert.match(issues[2].message, /^Image 2 of post 4 is image\/bmp/)
  })

  test('allows 25 thread parts and flags 26', ({ assert }) => {
    const parts = Array.from({ length: 25 }, (_, index) => `Part ${index + 1}`)
    assert.deepEqual(publisher.validate(draft(...parts)), [])
    const issues = publisher.validate(draft(...parts, 'Part 26'))
    assert.deepEqual(issues, [
      {
        field: 'parts',
        message: 'The thread has 26 posts; Herald publishes X threads of at most 25.',
      },
    ])
  })

  test('is pure: same draft, same answer, the draft untouched', ({ assert }) => {
    const input = withMedia([jpeg({ size: 9e6 }), { mime: 'text/plain' }], 'x'.repeat(290))
    const copy = structuredClone(input)
    const first = publisher.validate(input)
    assert.deepEqual(publisher.validate(input), first)
    assert.deepEqual(input, copy)
    assert.lengthOf(first, 3)
  })
})

test.group('x / the fake counts like the plugin', (group) => {
  const fake = new FakeX()
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('a 280-weighted post with a long link is accepted by X; publish refuses 281 before any request', async ({
    assert,
  }) => {
    const ok = `${'a'.repeat(256)} ${LONG_URL}`
    await publisher.publish(contextOf(fake), publishInput([ok]))
    assert.equal(fake.liveTweets()[0].text, ok)

    const tooLong = `${'🌸'.repeat(140)}!`
    const before = fake.requests.length
    await assert.rejects(
      () => publisher.publish(contextOf(fake), publishInput([tooLong])),
      /281 characters/
    )
    assert.equal(fake.requests.length, before, 'no request for a draft X would refuse')

    const direct = await fetch(`${fake.url}/2/tweets`, {
      method: 'POST',
      headers: {
        'authorization': `Bearer ${publishInput([]).tokens.accessToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ text: tooLong }),
    })
    assert.equal(direct.status, 400)
  })
})
