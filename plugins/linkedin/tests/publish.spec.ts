import { test } from '@japa/runner'
import plugin from '../src/index.js'
import {
  FAKE_LINKEDIN_CLIENT,
  FAKE_LINKEDIN_MEMBER,
  FAKE_LINKEDIN_TOKENS,
  FakeLinkedIn,
} from './fake_linkedin.js'
import { contextOf, image, imageBytes, pluginError, publishInput } from './helpers.js'

const fake = new FakeLinkedIn()
const publisher = plugin.kinds.publisher!
const AUTHOR = `urn:li:person:${FAKE_LINKEDIN_MEMBER.sub}`
const BEARER = `Bearer ${FAKE_LINKEDIN_TOKENS.accessToken}`

test.group('linkedin / publish', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('posts with the Rest.li headers and returns the x-restli-id URN and its feed URL', async ({
    assert,
  }) => {
    const result = await publisher.publish(contextOf(fake), publishInput('Hello LinkedIn'))
    const [post] = fake.posts
    assert.match(post.urn, /^urn:li:share:\d+$/)
    const url = `https://www.linkedin.com/feed/update/${post.urn}`
    assert.deepEqual(result, { externalId: post.urn, url, parts: [{ externalId: post.urn, url }] })

    const [sent] = fake.requestsTo('posts.create')
    assert.equal(sent.headers.authorization, BEARER)
    assert.equal(sent.headers['linkedin-version'], '202610')
    assert.equal(sent.headers['x-restli-protocol-version'], '2.0.0')
    assert.match(String(sent.headers['content-type']), /^application\/json/)
    assert.deepEqual(sent.json, {
      author: AUTHOR,
      commentary: 'Hello LinkedIn',
      visibility: 'PUBLIC',
      distribution: {
        feedDistribution: 'MAIN_FEED',
        targetEntities: [],
        thirdPartyDistributionChannels: [],
      },
      lifecycleState: 'PUBLISHED',
      isReshareDisabledByAuthor: false,
    })
  })

  test('the visibility and LinkedIn-Version settings are used', async ({ assert }) => {
    await publisher.publish(
      contextOf(fake, { settings: { visibility: 'CONNECTIONS', apiVersion: '202612' } }),
      publishInput('Only for my network')
    )
    const [sent] = fake.requestsTo('posts.create')
    assert.equal(sent.headers['linkedin-version'], '202612')
    assert.equal((sent.json as { visibility: string }).visibility, 'CONNECTIONS')
    assert.equal(fake.posts[0].visibility, 'CONNECTIONS')
  })

  test('text with reserved characters reaches the feed whole (little text escaped)', async ({
    assert,
  }) => {
    const text = 'New menu (spring) — 20% off_today *only* <3 @team [info] {soon} ~ #Spring 🌸'
    await publisher.publish(contextOf(fake), publishInput(text))
    assert.deepEqual(
      { text: fake.posts[0].text, truncated: fake.posts[0].truncated },
      { text, truncated: false }
    )
  })

  test('an image post: initializeUpload (owner), PUT of the bytes, then the post with the image URN', async ({
    assert,
  }) => {
    const bytes = imageBytes('image/png', 3000)
    await publisher.publish(
      contextOf(fake),
      publishInput({
        text: 'Our terrace',
        media: [image('image/png', { bytes, altText: 'A sunny terrace' })],
      })
    )
    assert.deepEqual(
      fake.requests.map((request) => request.route),
      ['images.initialize', 'images.upload', 'posts.create']
    )
    const [init, put, create] = fake.requests
    assert.deepEqual(init.query, { action: 'initializeUpload' })
    assert.deepEqual(init.json, { initializeUploadRequest: { owner: AUTHOR } })
    assert.equal(init.headers['linkedin-version'], '202610')
    assert.equal(init.headers['x-restli-protocol-version'], '2.0.0')
    assert.equal(init.headers.authorization, BEARER)

    assert.equal(put.method, 'PUT')
    assert.equal(put.headers.authorization, BEARER)
    assert.equal(put.headers['content-type'], 'image/png')
    assert.equal(put.rawBytes, 3000)

    const [stored] = [...fake.images.values()]
    assert.equal(stored.status, 'AVAILABLE')
    assert.deepEqual(new Uint8Array(stored.bytes!), bytes)
    assert.deepEqual((create.json as { content: unknown }).content, {
      media: { id: stored.urn, altText: 'A sunny terrace' },
    })
    assert.deepEqual(fake.posts[0].content, {
      media: { id: stored.urn, altText: 'A sunny terrace' },
    })
  })

  test('several images become a multiImage post, in order', async ({ assert }) => {
    await publisher.publish(
      contextOf(fake),
      publishInput({
        text: 'Three dishes',
        media: [
          image('image/jpeg'),
          image('image/png', { altText: 'Soup' }),
          image('image/jpeg', { size: 900 }),
        ],
      })
    )
    const urns = [...fake.images.values()].map((stored) => stored.urn)
    assert.lengthOf(urns, 3)
    assert.deepEqual((fake.requestsTo('posts.create')[0].json as { content: unknown }).content, {
      multiImage: { images: [{ id: urns[0] }, { id: urns[1], altText: 'Soup' }, { id: urns[2] }] },
    })
  })

  test('an upload URL outside linkedin.com never receives the token', async ({ assert }) => {
    fake.fault('images.initialize', {
      type: 'status',
      status: 200,
      body: { value: { uploadUrl: 'https://uploads.evil.example/x', image: 'urn:li:image:C1' } },
    })
    await pluginError(
      publisher.publish(contextOf(fake), publishInput({ text: 'x', media: [image()] })),
      'Transient'
    )
    assert.lengthOf(fake.requestsTo('images.upload'), 0)
    assert.lengthOf(fake.posts, 0)
  })

  test('a duplicate is Permanent and names the post already on the profile', async ({ assert }) => {
    const existing = fake.holdPost('Same words')
    const error = await pluginError(
      publisher.publish(contextOf(fake), publishInput('Same words')),
      'Permanent'
    )
    assert.equal(
      error.userMessage,
      `LinkedIn refused the post: duplicate of a post already on the profile (https://www.linkedin.com/feed/update/${existing.urn}).`
    )
    assert.equal(error.code, 'duplicate')
    assert.lengthOf(fake.posts, 1)
  })

  test('an inactive LinkedIn-Version is Permanent and names the setting', async ({ assert }) => {
    fake.activeVersions = { oldest: '202611', newest: '202612' }
    const error = await pluginError(
      publisher.publish(contextOf(fake), publishInput('Hi')),
      'Permanent'
    )
    assert.equal(error.code, 'inactive_version')
    assert.include(error.userMessage, '202610')
    assert.include(error.userMessage, 'LINKEDIN_API_VERSION')
  })

  test('429 without headers waits an hour at most (or until midnight UTC); no early request reaches LinkedIn', async ({
    assert,
  }) => {
    fake.rateLimit()
    const now = new Date('2026-11-24T10:15:00.000Z')
    const error = await pluginError(
      publisher.publish(contextOf(fake, { now: () => now }), publishInput('Later')),
      'RateLimited'
    )
    assert.deepEqual(error.resetAt, new Date('2026-11-24T11:15:00.000Z'))
    const late = new Date('2026-11-24T23:40:00.000Z')
    const nearMidnight = await pluginError(
      publisher.publish(contextOf(fake, { now: () => late }), publishInput('Later')),
      'RateLimited'
    )
    assert.deepEqual(nearMidnight.resetAt, new Date('2026-11-25T00:00:00.000Z'))
    assert.lengthOf(fake.rateLimitedRequests, 2)
    assert.lengthOf(fake.posts, 0)
  })

  test('429 with Retry-After waits that long', async ({ assert }) => {
    fake.rateLimit({ retryAfterSeconds: 300 })
    const now = new Date()
    const error = await pluginError(
      publisher.publish(contextOf(fake, { now: () => now }), publishInput('Later')),
      'RateLimited'
    )
    assert.closeTo(error.resetAt.getTime() - now.getTime(), 300_000, 1000)
  })

  test('a revoked token is AuthExpired and says so; no token or secret in the error or logs', async ({
    assert,
  }) => {
    fake.revokeAll()
    const ctx = contextOf(fake)
    const error = await pluginError(publisher.publish(ctx, publishInput('Hi')), 'AuthExpired')
    assert.include(error.message, 'revoked')
    const rendered = `${JSON.stringify(error.toJSON())} ${String(error.stack)} ${ctx.logger.text()}`
    assert.notInclude(rendered, FAKE_LINKEDIN_TOKENS.accessToken)
    assert.notInclude(rendered, FAKE_LINKEDIN_CLIENT.secret)
  })

  test('commit-then-hang is Unknown and the fake holds exactly one post', async ({ assert }) => {
    fake.commitThenHang()
    const error = await pluginError(
      publisher.publish(contextOf(fake), publishInput('Maybe')),
      'Unknown'
    )
    assert.include(error.message, 'may exist')
    assert.lengthOf(fake.posts, 1)
  })

  test('a 503 from the image upload is Transient, and a retry publishes once', async ({
    assert,
  }) => {
    fake.fail(503, { route: 'images.upload', times: 1 })
    const input = publishInput({ text: 'Retry me', media: [image()] })
    await pluginError(publisher.publish(contextOf(fake), input), 'Transient')
    assert.lengthOf(fake.posts, 0)
    await publisher.publish(contextOf(fake), input)
    assert.lengthOf(fake.posts, 1)
  })

  test('resumeFrom with the post already published sends nothing', async ({ assert }) => {
    const result = await publisher.publish(
      contextOf(fake),
      publishInput('Done', { resumeFrom: [{ externalId: 'urn:li:share:1' }] })
    )
    assert.equal(result.url, 'https://www.linkedin.com/feed/update/urn:li:share:1')
    assert.lengthOf(fake.requests, 0)
  })

  test('a draft LinkedIn would refuse is Permanent before any request', async ({ assert }) => {
    const error = await pluginError(
      publisher.publish(contextOf(fake), publishInput('a'.repeat(3001))),
      'Permanent'
    )
    assert.include(error.userMessage, '3,001 characters')
    assert.lengthOf(fake.requests, 0)
  })
})
