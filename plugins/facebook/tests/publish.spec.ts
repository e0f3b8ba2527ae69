import { test } from '@japa/runner'
import plugin from '../src/index.js'
import { FAKE_META_USER, FakeMeta } from '@herald/meta-graph/testing'
import { ACCOUNT, contextOf, PAGE, photo, pluginError, publishInput } from './helpers.js'

const fake = new FakeMeta()
const publisher = plugin.kinds.publisher!

test.group('facebook / publish', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('a text post goes to /{page-id}/feed with the Page token and the link; the id is {page}_{post}', async ({
    assert,
  }) => {
    const text = 'New menu today: https://example.com/menu.'
    const result = await publisher.publish(contextOf(fake), publishInput(text))
    const [post] = fake.posts
    assert.match(post.id, new RegExp(`^${PAGE.id}_\\d+$`))
    assert.deepEqual(result, {
      externalId: post.id,
      url: `https://www.facebook.com/${post.id}`,
      parts: [{ externalId: post.id, url: `https://www.facebook.com/${post.id}` }],
    })
    assert.equal(post.message, text)
    assert.equal(post.link, 'https://example.com/menu')
    const [sent] = fake.requestsTo('page.feed')
    assert.equal(sent.version, 'v25.0')
    assert.equal(sent.token, PAGE.accessToken)
    assert.notProperty(sent.params, 'access_token')
  })

  test('the Graph version setting is used in every path', async ({ assert }) => {
    await publisher.publish(
      contextOf(fake, { settings: { graphVersion: 'v23.0' } }),
      publishInput('Hi')
    )
    assert.equal(fake.requestsTo('page.feed')[0].version, 'v23.0')
  })

  test('a retired Graph version is Permanent and names the setting', async ({ assert }) => {
    const error = await pluginError(
      publisher.publish(
        contextOf(fake, { settings: { graphVersion: 'v12.0' } }),
        publishInput('Hi')
      ),
      'Permanent'
    )
    assert.include(error.userMessage, 'FACEBOOK_GRAPH_VERSION')
    assert.lengthOf(fake.posts, 0)
  })

  test('a photo post goes to /{page-id}/photos with the URL, which the fake fetches', async ({
    assert,
  }) => {
    const url = fake.hostImage('terrace.jpg')
    const result = await publisher.publish(
      contextOf(fake),
      publishInput({ text: 'Our terrace', media: [photo(url)] })
    )
    const [post] = fake.posts
    assert.equal(result.externalId, post.id)
    assert.deepEqual(post.photoUrls, [url])
    assert.equal(post.message, 'Our terrace')
    assert.deepEqual(fake.fetches, [{ url, ok: true }])
    assert.lengthOf(fake.requestsTo('page.feed'), 0)
  })

  test('several photos: uploaded unpublished, then one /feed post with attached_media', async ({
    assert,
  }) => {
    const urls = [fake.hostImage('1.jpg'), fake.hostImage('2.jpg'), fake.hostImage('3.jpg')]
    await publisher.publish(
      contextOf(fake),
      publishInput({ text: 'Three dishes', media: urls.map((url) => photo(url)) })
    )
    assert.lengthOf(fake.requestsTo('page.photos'), 3)
    assert.isTrue(
      fake.requestsTo('page.photos').every((request) => request.params.published === 'false')
    )
    assert.lengthOf(fake.posts, 1)
    assert.deepEqual(fake.posts[0].photoUrls, urls)
  })

  test('an unreachable photo URL is Permanent and nothing is posted', async ({ assert }) => {
    const error = await pluginError(
      publisher.publish(
        contextOf(fake),
        publishInput({ text: 'x', media: [photo('http://127.0.0.1:9/missing.jpg')] })
      ),
      'Permanent'
    )
    assert.equal(error.code, 'invalid_photo')
    assert.include(error.userMessage, 'publicly reachable')
    assert.deepEqual(fake.fetches, [{ url: 'http://127.0.0.1:9/missing.jpg', ok: false }])
    assert.lengthOf(fake.posts, 0)
  })

  test('a duplicate is Permanent with a plain message', async ({ assert }) => {
    fake.holdPost(PAGE.id, 'Same words')
    const error = await pluginError(
      publisher.publish(contextOf(fake), publishInput('Same words')),
      'Permanent'
    )
    assert.equal(error.userMessage, 'Facebook refused the post: duplicate of a recent post.')
    assert.equal(error.code, 'duplicate')
    assert.lengthOf(fake.posts, 1)
  })

  test('posting with the user token instead of the Page token fails like Meta (code 200)', async ({
    assert,
  }) => {
    const error = await pluginError(
      publisher.publish(
        contextOf(fake),
        publishInput('Hi', { tokens: { accessToken: FAKE_META_USER.accessToken } })
      ),
      'Permanent'
    )
    assert.equal(error.code, 'permission_denied')
    assert.include(error.userMessage, 'pages_manage_posts')
    assert.lengthOf(fake.posts, 0)
  })

  test('throttling waits estimated_time_to_regain_access from X-Business-Use-Case-Usage', async ({
    assert,
  }) => {
    fake.throttle('page.feed', { code: 80001, etaMinutes: 17 })
    const now = new Date('2026-11-24T10:00:00.000Z')
    const error = await pluginError(
      publisher.publish(contextOf(fake, { now: () => now }), publishInput('Later')),
      'RateLimited'
    )
    assert.deepEqual(error.resetAt, new Date('2026-11-24T10:17:00.000Z'))
  })

  test('throttling without an estimate waits 10 minutes', async ({ assert }) => {
    fake.throttle('page.feed', { code: 613, etaMinutes: 0 })
    const now = new Date('2026-11-24T10:00:00.000Z')
    const error = await pluginError(
      publisher.publish(contextOf(fake, { now: () => now }), publishInput('Later')),
      'RateLimited'
    )
    assert.deepEqual(error.resetAt, new Date('2026-11-24T10:10:00.000Z'))
  })

  test('a revoked token is AuthExpired; no token or secret in the error or logs', async ({
    assert,
  }) => {
    fake.revokeAll()
    const ctx = contextOf(fake)
    const error = await pluginError(publisher.publish(ctx, publishInput('Hi')), 'AuthExpired')
    assert.include(error.message, 'invalidated')
    const rendered = `${JSON.stringify(error.toJSON())} ${String(error.stack)} ${ctx.logger.text()}`
    assert.notInclude(rendered, PAGE.accessToken)
  })

  test('code 100 is Permanent in plain words', async ({ assert }) => {
    fake.fail('page.feed', { code: 100, message: '(#100) Param link must be a valid URL' })
    const error = await pluginError(
      publisher.publish(contextOf(fake), publishInput('Hi')),
      'Permanent'
    )
    assert.equal(
      error.userMessage,
      'Facebook rejected the post as invalid: Param link must be a valid URL'
    )
  })

  test('commit-then-hang is Unknown and the fake holds exactly one post', async ({ assert }) => {
    fake.commitThenHang('page.feed')
    const error = await pluginError(
      publisher.publish(contextOf(fake), publishInput('Maybe')),
      'Unknown'
    )
    assert.include(error.message, 'may exist')
    assert.lengthOf(fake.posts, 1)
  })

  test('findPublished finds the post by message since `after`, and not an older one', async ({
    assert,
  }) => {
    const after = new Date(Date.now() - 5000)
    fake.holdPost(PAGE.id, 'Old words', 3600_000)
    assert.isNull(
      await publisher.findPublished!(contextOf(fake), {
        account: ACCOUNT,
        tokens: { accessToken: PAGE.accessToken },
        text: 'Old words',
        after,
      })
    )
    const post = fake.holdPost(PAGE.id, 'Fresh words')
    const found = await publisher.findPublished!(contextOf(fake), {
      account: ACCOUNT,
      tokens: { accessToken: PAGE.accessToken },
      text: 'Fresh words',
      after,
    })
    assert.deepEqual(found, { externalId: post.id, url: `https://www.facebook.com/${post.id}` })
  })

  test('resumeFrom with the post already published sends nothing', async ({ assert }) => {
    const result = await publisher.publish(
      contextOf(fake),
      publishInput('Done', { resumeFrom: [{ externalId: `${PAGE.id}_1` }] })
    )
    assert.equal(result.url, `https://www.facebook.com/${PAGE.id}_1`)
    assert.lengthOf(fake.requests, 0)
  })
})
