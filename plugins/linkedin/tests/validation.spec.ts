import { test } from '@japa/runner'
import type { DraftMedia, PublishDraft } from '@herald/plugin-sdk'
import plugin, { toLittleText } from '../src/index.js'
import { renderLittleText } from './fake_linkedin.js'

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

test.group('linkedin / limits and preview', () => {
  test('declares plain counting, 3,000 characters, 20 images of 8 MB and no threads', ({
    assert,
  }) => {
    assert.deepEqual(publisher.limits, {
      countCharacters: 'plain',
      maxChars: 3000,
      maxMedia: 20,
      mediaTypes: ['image/jpeg', 'image/png', 'image/gif'],
      maxMediaBytes: 8 * 1024 * 1024,
      requiresMedia: false,
      maxThreadParts: 1,
    })
    assert.deepEqual(publisher.preview, {
      truncateAt: 210,
      showMoreLabel: '…see more',
      mediaAspect: '1.91:1',
      mediaLayout: 'grid',
      linkCard: true,
    })
  })
})

test.group('linkedin / validate', () => {
  test('counts characters as code points: 3,000 pass, 3,001 fail (emoji count 1, links their length)', ({
    assert,
  }) => {
    assert.deepEqual(publisher.validate(draft('a'.repeat(3000))), [])
    assert.deepEqual(publisher.validate(draft('🌸'.repeat(3000))), [])
    assert.deepEqual(publisher.validate(draft('a'.repeat(3001))), [
      {
        field: 'parts.0.text',
        message: 'The post is 3,001 characters long; LinkedIn allows 3,000. Remove 1.',
      },
    ])
    const link = `https://example.com/${'x'.repeat(2990)}`
    assert.equal(publisher.validate(draft(link))[0].field, 'parts.0.text')
  })

  test('flags threads, empty posts and an empty draft', ({ assert }) => {
    assert.deepEqual(publisher.validate(draft('One', 'Two')), [
      {
        field: 'parts',
        message: 'LinkedIn has no threads: publish one post (this draft has 2 parts).',
      },
    ])
    assert.deepEqual(publisher.validate(draft(' ')), [
      { field: 'parts.0.text', message: 'The post is empty: write some text or add an image.' },
    ])
    assert.equal(publisher.validate({ parts: [] })[0].field, 'parts')
    assert.deepEqual(publisher.validate(withMedia([jpeg()], '')), [])
  })

  test('flags too many images, wrong types, oversized images, a GIF among others and long alt text', ({
    assert,
  }) => {
    const many = Array.from({ length: 21 }, () => jpeg())
    assert.deepEqual(publisher.validate(withMedia(many)), [
      { field: 'parts.0.media', message: 'The post has 21 images; LinkedIn allows at most 20.' },
    ])
    assert.deepEqual(publisher.validate(withMedia(many.slice(1))), [])
    assert.deepEqual(publisher.validate(withMedia([{ mime: 'image/webp', size: 1 }])), [
      {
        field: 'parts.0.media.0',
        message: 'Image 1 is image/webp; LinkedIn accepts JPEG, PNG and GIF images.',
      },
    ])
    assert.deepEqual(publisher.validate(withMedia([jpeg(), jpeg({ size: 9 * 1024 * 1024 })])), [
      {
        field: 'parts.0.media.1',
        message: 'Image 2 is 9.0 MB; LinkedIn accepts images up to 8.0 MB.',
      },
    ])
    const gif = publisher.validate(withMedia([{ mime: 'image/gif' }, jpeg()]))
    assert.equal(gif[0].field, 'parts.0.media')
    assert.include(gif[0].message, 'GIF must be the only image')
    const alt = publisher.validate(withMedia([jpeg({ altText: 'a'.repeat(4087) })]))
    assert.deepEqual(alt, [
      {
        field: 'parts.0.media.0',
        message: 'The alt text of image 1 is 4,087 characters long; LinkedIn allows 4,086.',
      },
    ])
  })

  test('is pure', ({ assert }) => {
    const input = withMedia([jpeg({ size: 9e6 }), { mime: 'video/mp4' }], 'x'.repeat(3100))
    const copy = structuredClone(input)
    const first = publisher.validate(input)
    assert.deepEqual(publisher.validate(input), first)
    assert.deepEqual(input, copy)
    assert.lengthOf(first, 3)
  })
})

test.group('linkedin / little text format', () => {
  test('escapes every reserved character except the # of a hashtag', ({ assert }) => {
    assert.equal(
      toLittleText(
        'Launch (beta) [v2] {x} <3 @you a|b *bold* _snake_ ~tilde \\ #Spring2026 C# #1 a#b # end'
      ),
      'Launch \\(beta\\) \\[v2\\] \\{x\\} \\<3 \\@you a\\|b \\*bold\\* \\_snake\\_ \\~tilde \\\\ #Spring2026 C\\# #1 a\\#b \\# end'
    )
    assert.equal(toLittleText('#first word'), '#first word')
    assert.equal(
      toLittleText('Plain text, no reserved chars: 50% off!'),
      'Plain text, no reserved chars: 50% off!'
    )
  })

  test('what LinkedIn shows equals the original text, where the raw text would be cut', ({
    assert,
  }) => {
    const original =
      'Menu (new!) — 20% off_today *only* <3 @team [details] {soon} ~ok | #Spring 🌸 https://example.com/a_(b)'
    assert.deepEqual(renderLittleText(toLittleText(original)), { text: original, truncated: false })
    assert.deepEqual(renderLittleText(original), { text: 'Menu ', truncated: true })
  })
})
