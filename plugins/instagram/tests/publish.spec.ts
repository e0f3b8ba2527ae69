import { test } from '@japa/runner'
import plugin from '../src/index.js'
import { FakeMeta } from '@herald/meta-graph/testing'
import {
  ACCOUNT,
  contextOf,
  IG_ID,
  jpegOfSize,
  PAGE,
  photo,
  pluginError,
  publishInput,
} from './helpers.js'

const fake = new FakeMeta()
const publisher = plugin.kinds.publisher!

test.group('instagram / publish', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('a single image: container with image_url and caption, polled until FINISHED, then media_publish', async ({
    assert,
  }) => {
    fake.containerPolls = 3
    const url = fake.hostImage('croissant.jpg')
    const result = await publisher.publish(
      contextOf(fake),
      publishInput({ text: 'Croissants #bakery', media: [photo(url, 'Three croissants')] })
    )
    const [media] = fake.igMedia
    assert.deepEqual(result, {
      externalId: media.id,
      url: `https://www.instagram.com/p/fake${media.id}/`,
      parts: [{ externalId: media.id, url: `https://www.instagram.com/p/fake${media.id}/` }],
    })
    assert.equal(media.caption, 'Croissants #bakery')
    assert.deepEqual(media.imageUrls, [url])
    assert.deepEqual(fake.fetches, [{ url, ok: true }])
    const [create] = fake.requestsTo('ig.media')
    assert.equal(create.params.alt_text, 'Three croissants')
    assert.equal(create.token, PAGE.accessToken)
    const polls = fake.requests.filter(
      (request) => request.route === 'node' && request.params.fields === 'status_code,status'
    )
    assert.lengthOf(polls, 3)
    const routes = fake.requests.map((request) => request.route)
    assert.isBelow(
      routes.lastIndexOf('node', routes.indexOf('ig.publish')),
      routes.indexOf('ig.publish')
    )
    assert.equal(fake.requestsTo('ig.publish')[0].params.creation_id, media.containerId)
  })

  test('a carousel: child containers (is_carousel_item), a CAROUSEL parent with children, one media_publish', async ({
    assert,
  }) => {
    const urls = [fake.hostImage('1.jpg'), fake.hostImage('2.jpg'), fake.hostImage('3.jpg')]
    await publisher.publish(
      contextOf(fake),
      publishInput({ text: 'Three dishes', media: urls.map((url) => photo(url)) })
    )
    const creates = fake.requestsTo('ig.media')
    assert.lengthOf(creates, 4)
    assert.isTrue(
      creates
        .slice(0, 3)
        .every(
          (request) =>
            request.params.is_carousel_item === 'true' && request.params.caption === undefined
        )
    )
    assert.equal(creates[3].params.media_type, 'CAROUSEL')
    assert.equal(creates[3].params.caption, 'Three dishes')
    assert.lengthOf(fake.igMedia, 1)
    assert.equal(fake.igMedia[0].mediaType, 'CAROUSEL_ALBUM')
    assert.deepEqual(fake.igMedia[0].imageUrls, urls)
    assert.lengthOf(fake.requestsTo('ig.publish'), 1)
  })

  test('a container that never finishes is Transient within the bound, and media_publish is never called', async ({
    assert,
  }) => {
    fake.containerMode = 'never'
    const started = Date.now()
    const error = await pluginError(
      publisher.publish(
        contextOf(fake, { settings: { containerTimeoutSeconds: 1 } }),
        publishInput({ text: 'Slow', media: [photo(fake.hostImage('slow.jpg'))] })
      ),
      'Transient'
    )
    assert.include(error.message, 'nothing was published')
    assert.isBelow(Date.now() - started, 2500)
    assert.lengthOf(fake.requestsTo('ig.publish'), 0)
    assert.lengthOf(fake.igMedia, 0)
  })

  test('an unreachable image URL: the fake tried to fetch it, the container is ERROR, Permanent in plain words', async ({
    assert,
  }) => {
    const url = 'http://127.0.0.1:9/private/photo.jpg'
    const error = await pluginError(
      publisher.publish(contextOf(fake), publishInput({ text: 'Hidden', media: [photo(url)] })),
      'Permanent'
    )
    assert.deepEqual(fake.fetches, [{ url, ok: false }])
    assert.equal(error.code, 'media_fetch_failed')
    assert.include(error.userMessage, 'publicly reachable')
    assert.include(error.platformMessage ?? '', 'Media download has failed')
    assert.lengthOf(fake.requestsTo('ig.publish'), 0)
  })

  test('a JPEG outside 4:5 to 1.91:1 is refused at the container (36003 / 2207009), in words', async ({
    assert,
  }) => {
    const url = fake.hostImage('story.jpg', jpegOfSize(1080, 1920))
    const error = await pluginError(
      publisher.publish(contextOf(fake), publishInput({ text: 'Tall', media: [photo(url)] })),
      'Permanent'
    )
    assert.equal(error.code, 'aspect_ratio')
    assert.include(error.userMessage, 'between 4:5 (portrait) and 1.91:1')
    assert.include(error.platformMessage ?? '', "aspect ratio ('1080/1920')")
    assert.deepEqual(fake.fetches, [{ url, ok: true, width: 1080, height: 1920 }])
    assert.lengthOf(fake.containers, 0)
    assert.lengthOf(fake.requestsTo('ig.publish'), 0)
  })

  test('a JPEG at the edge of the range (4:5) is taken', async ({ assert }) => {
    const url = fake.hostImage('portrait.jpg', jpegOfSize(1080, 1350))
    await publisher.publish(contextOf(fake), publishInput({ text: 'Edge', media: [photo(url)] }))
    assert.lengthOf(fake.igMedia, 1)
  })

  test('validate: JPEG only, within 4:5 to 1.91:1 when the size is known', ({ assert }) => {
    const issues = (media: { mime: string; width?: number; height?: number }[]) =>
      publisher.validate({ parts: [{ text: 'x', media }] }).map((issue) => issue.message)
    assert.deepEqual(issues([{ mime: 'image/jpeg', width: 1080, height: 1350 }]), [])
    assert.deepEqual(issues([{ mime: 'image/jpeg' }]), [])
    assert.deepEqual(issues([{ mime: 'image/png', width: 1080, height: 1080 }]), [
      'Image 1 is image/png; Instagram takes JPEG images only.',
    ])
    assert.deepEqual(issues([{ mime: 'image/jpeg', width: 1080, height: 1920 }]), [
      'Image 1 is 9:16 (0.56) wide; Instagram takes 4:5 (0.80) to 1.91:1.',
    ])
    assert.deepEqual(issues([{ mime: 'image/jpeg', width: 2000, height: 1000 }]), [
      'Image 1 is 2:1 (2.00) wide; Instagram takes 4:5 (0.80) to 1.91:1.',
    ])
  })

  test('a non-JPEG body at the image URL puts the container in ERROR (Permanent)', async ({
    assert,
  }) => {
    const url = fake.hostImage(
      'fake.png',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
      'image/png'
    )
    const error = await pluginError(
      publisher.publish(contextOf(fake), publishInput({ text: 'PNG', media: [photo(url)] })),
      'Permanent'
    )
    assert.equal(error.code, 'container_error')
    assert.include(error.userMessage, 'Only photo or video')
  })

  test("an ERROR container is Permanent with Instagram's reason", async ({ assert }) => {
    fake.containerMode = 'error'
    const error = await pluginError(
      publisher.publish(
        contextOf(fake),
        publishInput({ text: 'Err', media: [photo(fake.hostImage('e.jpg'))] })
      ),
      'Permanent'
    )
    assert.include(error.userMessage, '2207001')
    assert.lengthOf(fake.igMedia, 0)
  })

  test('throttling waits the BUC estimate (minutes)', async ({ assert }) => {
    fake.throttle('ig.media', { code: 80002, etaMinutes: 7, businessId: IG_ID })
    const now = new Date('2026-11-24T10:00:00.000Z')
    const error = await pluginError(
      publisher.publish(
        contextOf(fake, { now: () => now }),
        publishInput({ text: 'x', media: [photo(fake.hostImage('t.jpg'))] })
      ),
      'RateLimited'
    )
    assert.deepEqual(error.resetAt, new Date('2026-11-24T10:07:00.000Z'))
  })

  test('drop after media_publish is Unknown and the media exists', async ({ assert }) => {
    fake.dropAfterCommit('ig.publish')
    await pluginError(
      publisher.publish(
        contextOf(fake),
        publishInput({ text: 'Maybe', media: [photo(fake.hostImage('m.jpg'))] })
      ),
      'Unknown'
    )
    assert.lengthOf(fake.igMedia, 1)
  })

  test('a failing permalink read does not fail a live post', async ({ assert }) => {
    fake.fail('ig.media.read', { status: 500, code: 1, message: 'An unknown error occurred' })
    const result = await publisher.publish(
      contextOf(fake),
      publishInput({ text: 'Live', media: [photo(fake.hostImage('l.jpg'))] })
    )
    assert.lengthOf(fake.requestsTo('ig.media.read'), 1)
    assert.equal(result.externalId, fake.igMedia[0].id)
    assert.equal(result.url, `https://www.instagram.com/${PAGE.igUsername}/`)
  })

  test('findPublished finds a media by caption since `after`, not an older one', async ({
    assert,
  }) => {
    const after = new Date(Date.now() - 5000)
    fake.holdIgMedia(IG_ID, 'Old caption', 3600_000)
    const tokens = { accessToken: PAGE.accessToken }
    assert.isNull(
      await publisher.findPublished!(contextOf(fake), {
        account: ACCOUNT,
        tokens,
        text: 'Old caption',
        after,
      })
    )
    const media = fake.holdIgMedia(IG_ID, 'New caption')
    const found = await publisher.findPublished!(contextOf(fake), {
      account: ACCOUNT,
      tokens,
      text: 'New caption',
      after,
    })
    assert.deepEqual(found, {
      externalId: media.id,
      url: `https://www.instagram.com/p/fake${media.id}/`,
    })
  })

  test('a draft without an image is Permanent before any request', async ({ assert }) => {
    await pluginError(
      publisher.publish(contextOf(fake), publishInput({ text: 'No image', media: [] })),
      'Permanent'
    )
    assert.lengthOf(fake.requests, 0)
  })
})
