import { test } from '@japa/runner'
import { createXPlugin } from '../src/index.js'
import { FAKE_X_CLIENT, FAKE_X_TOKENS, FAKE_X_USER, FakeX } from './fake_x.js'
import { ACCOUNT, contextOf, image, imageBytes, pluginError, publishInput } from './helpers.js'

const fake = new FakeX()
const plugin = createXPlugin({ minPollMs: 5, maxPollMs: 20, chunkBytes: 1000 })
const publisher = plugin.kinds.publisher!
const BEARER = `Bearer ${FAKE_X_TOKENS.accessToken}`

test.group('x / publish a post', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('posts the text with the bearer token and returns the id and x.com URL', async ({
    assert,
  }) => {
    const result = await publisher.publish(contextOf(fake), publishInput(['Hello from Herald']))
    const [tweet] = fake.liveTweets()
    assert.deepEqual(result, {
      externalId: tweet.id,
      url: `https://x.com/${FAKE_X_USER.username}/status/${tweet.id}`,
      parts: [
        { externalId: tweet.id, url: `https://x.com/${FAKE_X_USER.username}/status/${tweet.id}` },
      ],
    })
    const [sent] = fake.requestsTo('tweets.create')
    assert.equal(sent.headers.authorization, BEARER)
    assert.match(String(sent.headers['content-type']), /^application\/json/)
    assert.deepEqual(sent.json, { text: 'Hello from Herald' })
  })

  test('uploads each image (initialize, append segments, finalize, alt text) and posts their ids in order', async ({
    assert,
  }) => {
    const png = image('image/png', { size: 2500, altText: 'A plate of spring rolls' })
    const jpeg = image('image/jpeg', { size: 800 })
    await publisher.publish(
      contextOf(fake),
      publishInput([{ text: 'Two pictures', media: [png, jpeg] }])
    )
    assert.deepEqual(
      fake.requests.map((request) => request.route),
      [
        'media.initialize',
        'media.append',
        'media.append',
        'media.append',
        'media.finalize',
        'media.metadata',
        'media.initialize',
        'media.append',
        'media.finalize',
        'tweets.create',
      ]
    )
    const [init] = fake.requestsTo('media.initialize')
    assert.deepEqual(init.json, {
      media_type: 'image/png',
      total_bytes: 2500,
      media_category: 'tweet_image',
      shared: false,
    })
    assert.equal(init.headers.authorization, BEARER)
    const appends = fake.requestsTo('media.append').slice(0, 3)
    assert.deepEqual(
      appends.map((request) => request.multipart?.segment_index),
      ['0', '1', '2']
    )
    assert.match(String(appends[0].headers['content-type']), /^multipart\/form-data; boundary=/)
    assert.deepEqual(
      appends.map((request) => (request.multipart?.media as { bytes: number }).bytes),
      [1000, 1000, 500]
    )

    const [tweet] = fake.liveTweets()
    assert.lengthOf(tweet.mediaIds, 2)
    const [first, second] = tweet.mediaIds.map((id) => fake.media.get(id)!)
    assert.equal(first.mediaType, 'image/png')
    assert.deepEqual(new Uint8Array(first.bytes!), imageBytes('image/png', 2500))
    assert.equal(first.altText, 'A plate of spring rolls')
    assert.equal(second.mediaType, 'image/jpeg')
    assert.isUndefined(second.altText)
    assert.deepEqual(fake.requestsTo('tweets.create')[0].json, {
      text: 'Two pictures',
      media: { media_ids: tweet.mediaIds },
    })
  })

  test('a GIF is uploaded as tweet_gif and waits for processing (STATUS) before the post', async ({
    assert,
  }) => {
    fake.processingPolls = 3
    await publisher.publish(
      contextOf(fake),
      publishInput([{ text: '', media: [image('image/gif')] }])
    )
    assert.equal(
      (fake.requestsTo('media.initialize')[0].json as { media_category: string }).media_category,
      'tweet_gif'
    )
    const statuses = fake.requestsTo('media.status')
    assert.lengthOf(statuses, 3)
    assert.deepEqual(statuses[0].query, {
      command: 'STATUS',
      media_id: fake.liveTweets()[0].mediaIds[0],
    })
    assert.equal(fake.requests.at(-1)!.route, 'tweets.create')
    assert.deepEqual(fake.requestsTo('tweets.create')[0].json, {
      media: { media_ids: fake.liveTweets()[0].mediaIds },
    })
  })

  test('failed processing is Permanent and nothing is posted', async ({ assert }) => {
    fake.failProcessing = true
    const error = await pluginError(
      publisher.publish(
        contextOf(fake),
        publishInput([{ text: 'Anim', media: [image('image/gif')] }])
      ),
      'Permanent'
    )
    assert.equal(error.code, 'media_processing_failed')
    assert.include(error.userMessage, 'Unsupported video format')
    assert.lengthOf(fake.tweets, 0)
  })

  test('duplicate content is Permanent in plain words and posts nothing', async ({ assert }) => {
    fake.holdTweet('Same words')
    const error = await pluginError(
      publisher.publish(contextOf(fake), publishInput(['Same words'])),
      'Permanent'
    )
    assert.equal(error.userMessage, 'X refused the post: duplicate of a recent post.')
    assert.equal(error.code, 'duplicate')
    assert.equal(
      error.platformMessage,
      'You are not allowed to create a Tweet with duplicate content.'
    )
    assert.lengthOf(fake.tweets, 1)
  })

  test('429 waits until x-rate-limit-reset (epoch seconds) and the fake sees no early request', async ({
    assert,
  }) => {
    const resetAt = fake.rateLimit({ resetAt: new Date(Date.now() + 90_000) })
    const error = await pluginError(
      publisher.publish(contextOf(fake), publishInput(['Later'])),
      'RateLimited'
    )
    assert.equal(error.resetAt.getTime(), Math.ceil(resetAt.getTime() / 1000) * 1000)
    assert.lengthOf(fake.rateLimitedRequests, 1)
    assert.lengthOf(fake.tweets, 0)
  })

  test('429 on the 24-hour user cap waits for that cap, not the 15-minute window', async ({
    assert,
  }) => {
    const resetAt = fake.rateLimit({
      scope: 'user24h',
      resetAt: new Date(Date.now() + 5 * 3600_000),
    })
    const error = await pluginError(
      publisher.publish(contextOf(fake), publishInput(['Later'])),
      'RateLimited'
    )
    assert.equal(error.resetAt.getTime(), Math.ceil(resetAt.getTime() / 1000) * 1000)
  })

  test('a revoked token is AuthExpired and no error or log carries a token or secret', async ({
    assert,
  }) => {
    fake.revokeAll()
    const ctx = contextOf(fake)
    const error = await pluginError(publisher.publish(ctx, publishInput(['Hi'])), 'AuthExpired')
    const rendered = `${JSON.stringify(error.toJSON())} ${String(error.stack)} ${ctx.logger.text()}`
    for (const secret of [
      FAKE_X_TOKENS.accessToken,
      FAKE_X_TOKENS.refreshToken,
      FAKE_X_CLIENT.secret,
    ]) {
      assert.notInclude(rendered, secret)
    }
  })

  test('a timeout after POST /2/tweets left is Unknown and the fake holds exactly one post', async ({
    assert,
  }) => {
    fake.commitThenHang()
    const error = await pluginError(
      publisher.publish(contextOf(fake), publishInput(['Maybe'])),
      'Unknown'
    )
    assert.include(error.message, 'may exist')
    assert.lengthOf(fake.liveTweets(), 1)
  })

  test('a timeout before the request could reach X (connect phase) is Transient', async ({
    assert,
  }) => {
    const closed = new FakeX()
    await closed.start()
    const settings = closed.settings()
    await closed.stop()
    const ctx = contextOf(fake, { settings: { apiBaseUrl: settings.apiBaseUrl } })
    const error = await pluginError(publisher.publish(ctx, publishInput(['Hi'])), 'Transient')
    assert.include(error.message, 'nothing was posted')
  })
})

test.group('x / threads', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  const parts = [
    '1/ Our spring menu 🌸',
    '2/ Starters: rolls and soups',
    '3/ Book at https://example.com/book',
  ]

  test('posts a thread as a reply chain and returns every part', async ({ assert }) => {
    const result = await publisher.publish(contextOf(fake), publishInput(parts))
    const tweets = fake.liveTweets()
    assert.lengthOf(tweets, 3)
    assert.isUndefined(tweets[0].inReplyTo)
    assert.equal(tweets[1].inReplyTo, tweets[0].id)
    assert.equal(tweets[2].inReplyTo, tweets[1].id)
    assert.deepEqual(
      result.parts?.map((part) => part.externalId),
      tweets.map((tweet) => tweet.id)
    )
    assert.equal(result.externalId, tweets[0].id)
    assert.deepEqual(fake.requestsTo('tweets.create')[1].json, {
      text: parts[1],
      reply: { in_reply_to_tweet_id: tweets[0].id },
    })
  })

  test('fails at part 3 (429), reports parts 1-2, and resumes from part 3: exactly 3 posts, chained', async ({
    assert,
  }) => {
    fake.fault(
      'tweets.create',
      {
        type: 'status',
        status: 429,
        body: {
          title: 'Too Many Requests',
          detail: 'Too Many Requests',
          type: 'about:blank',
          status: 429,
        },
        headers: {
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(Math.ceil(Date.now() / 1000) + 60),
        },
      },
      { skip: 2, times: 1 }
    )
    const error = await pluginError(
      publisher.publish(contextOf(fake), publishInput(parts)),
      'RateLimited'
    )
    const published = error.publishedParts!
    assert.lengthOf(published, 2)
    assert.deepEqual(
      published.map((part) => part.externalId),
      fake.liveTweets().map((tweet) => tweet.id)
    )

    const result = await publisher.publish(
      contextOf(fake),
      publishInput(parts, { resumeFrom: published })
    )
    const tweets = fake.liveTweets()
    assert.lengthOf(tweets, 3)
    assert.deepEqual(
      tweets.map((tweet) => tweet.text),
      parts
    )
    assert.equal(tweets[1].inReplyTo, tweets[0].id)
    assert.equal(tweets[2].inReplyTo, tweets[1].id)
    assert.deepEqual(
      result.parts?.map((part) => part.externalId),
      tweets.map((tweet) => tweet.id)
    )
    assert.equal(result.externalId, tweets[0].id)
    assert.lengthOf(fake.requestsTo('tweets.create'), 4, 'parts 1-2 are never sent again')
  })

  test('fails at part 3 during its image upload (503, Transient) and resumes with the image', async ({
    assert,
  }) => {
    const withImage = [
      parts[0],
      parts[1],
      { text: parts[2], media: [image('image/jpeg', { size: 600 })] },
    ]
    fake.fail(503, { route: 'media.initialize', times: 1 })
    const error = await pluginError(
      publisher.publish(contextOf(fake), publishInput(withImage)),
      'Transient'
    )
    assert.lengthOf(error.publishedParts!, 2)
    assert.lengthOf(fake.liveTweets(), 2)

    await publisher.publish(
      contextOf(fake),
      publishInput(withImage, { resumeFrom: error.publishedParts })
    )
    const tweets = fake.liveTweets()
    assert.lengthOf(tweets, 3)
    assert.equal(tweets[2].inReplyTo, tweets[1].id)
    assert.lengthOf(tweets[2].mediaIds, 1)
  })

  test('Unknown at part 3 carries parts 1-2; findPublished then finds part 3 at the fake', async ({
    assert,
  }) => {
    const after = new Date()
    fake.dropAfterCommit('tweets.create', { skip: 2 })
    const error = await pluginError(
      publisher.publish(contextOf(fake), publishInput(parts)),
      'Unknown'
    )
    assert.lengthOf(error.publishedParts!, 2)
    assert.lengthOf(fake.liveTweets(), 3)

    const found = await publisher.findPublished!(contextOf(fake), {
      account: ACCOUNT,
      tokens: { accessToken: FAKE_X_TOKENS.accessToken },
      text: parts[2],
      after,
    })
    assert.equal(found?.externalId, fake.liveTweets()[2].id)
  })

  test('a Permanent failure of a later part names the part', async ({ assert }) => {
    fake.holdTweet(parts[1])
    const error = await pluginError(
      publisher.publish(contextOf(fake), publishInput(parts)),
      'Permanent'
    )
    assert.equal(
      error.userMessage,
      'Post 2 of 3 of the thread: X refused the post: duplicate of a recent post.'
    )
    assert.lengthOf(error.publishedParts!, 1)
  })

  test('a reply target deleted meanwhile is Permanent', async ({ assert }) => {
    const first = fake.holdTweet('Earlier part')
    fake.deleteTweet(first.id)
    const error = await pluginError(
      publisher.publish(
        contextOf(fake),
        publishInput(['Earlier part', 'Next part'], { resumeFrom: [{ externalId: first.id }] })
      ),
      'Permanent'
    )
    assert.equal(error.code, 'reply_target_missing')
  })

  test('cancelled between parts: rejects promptly with the parts already live', async ({
    assert,
  }) => {
    fake.hang('tweets.create', { skip: 1 })
    fake.slow(50, 'tweets.create')
    const controller = new AbortController()
    const running = publisher.publish(
      contextOf(fake, { signal: controller.signal }),
      publishInput(parts)
    )
    setTimeout(() => controller.abort(new Error('job timeout')), 150)
    const error = await pluginError(running, 'Unknown')
    assert.lengthOf(error.publishedParts!, 1, 'part 1 is live; part 2 was in flight, so Unknown')
  })

  test('resuming with every part already published sends nothing', async ({ assert }) => {
    const done = [{ externalId: '1' }, { externalId: '2' }, { externalId: '3' }]
    const result = await publisher.publish(
      contextOf(fake),
      publishInput(parts, { resumeFrom: done })
    )
    assert.equal(result.externalId, '1')
    assert.equal(result.url, `https://x.com/${FAKE_X_USER.username}/status/1`)
    assert.lengthOf(fake.requests, 0)
  })
})

test.group('x / findPublished', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  const find = (text: string, after: Date) =>
    publisher.findPublished!(contextOf(fake), {
      account: ACCOUNT,
      tokens: { accessToken: FAKE_X_TOKENS.accessToken },
      text,
      after,
    })

  test('finds a post whose text X rewrote (entities, t.co links, media link)', async ({
    assert,
  }) => {
    const text = 'Tips & tricks <3 at https://example.com/tips?a=1&b=2'
    const after = new Date()
    await publisher.publish(contextOf(fake), publishInput([{ text, media: [image()] }]))
    const [tweet] = fake.liveTweets()
    assert.notEqual(tweet.renderedText, text)
    assert.include(tweet.renderedText, '&amp;')
    const found = await find(text, after)
    assert.deepEqual(found, {
      externalId: tweet.id,
      url: `https://x.com/${FAKE_X_USER.username}/status/${tweet.id}`,
    })
    const [lookup] = fake.requestsTo('timeline')
    assert.equal(lookup.path, `/2/users/${FAKE_X_USER.id}/tweets`)
    assert.equal(lookup.query.max_results, '100')
    assert.match(lookup.query.start_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
  })

  test('ignores other texts and posts older than the attempt', async ({ assert }) => {
    fake.holdTweet('Old words', { createdAt: new Date(Date.now() - 3600_000) })
    fake.holdTweet('Other words')
    assert.isNull(await find('Old words', new Date(Date.now() - 60_000)))
    assert.isNull(await find('Missing words', new Date(Date.now() - 60_000)))
  })

  test('pages through the timeline', async ({ assert }) => {
    const target = fake.holdTweet('Needle')
    for (let index = 0; index < 150; index++) fake.holdTweet(`Hay ${index}`)
    const found = await find('Needle', new Date(Date.now() - 60_000))
    assert.equal(found?.externalId, target.id)
    assert.lengthOf(fake.requestsTo('timeline'), 2)
    assert.equal(fake.requestsTo('timeline')[1].query.pagination_token !== undefined, true)
  })
})
