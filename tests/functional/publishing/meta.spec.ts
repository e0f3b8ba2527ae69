import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import sharp from 'sharp'
import publishingConfig from '#config/publishing'
import { ComposePost, type ComposeInput } from '#actions/posts/compose_post'
import PostTarget from '#models/post_target'
import { DeleteMedia } from '#actions/media/delete_media'
import type SocialAccount from '#models/social_account'
import type User from '#models/user'
import type Workspace from '#models/workspace'
import { WorkspaceAccess } from '#services/workspace_access'
import { truncateAroundEach } from '#tests/helpers/database'
import { createUser, createWorkspace } from '#tests/helpers/factories'
import {
  attemptsOf,
  connectAccount,
  startPipeline,
  useSettings,
  waitForTarget,
} from '#tests/helpers/publishing'
import { storeRealImage, storeTestImage } from '#tests/helpers/media'
import { FAKE_META_PAGES, FakeMeta } from '#tests/fakes/meta'

const PAGE = FAKE_META_PAGES[0]
const FACEBOOK_SCOPES = ['pages_show_list', 'pages_read_engagement', 'pages_manage_posts']
const INSTAGRAM_SCOPES = [...FACEBOOK_SCOPES, 'instagram_basic', 'instagram_content_publish']

/**
 * Facebook Page and Instagram publishing end to end (issue 8): real workers,
 * real PostgreSQL, the plugins over real HTTP against the strict Meta fake,
 * which downloads every image URL Herald hands it, like Meta. Herald's own
 * media are handed as signed URLs on APP_URL (127.0.0.1 in tests): the tests
 * say that address is reachable (`publishingConfig.mediaUrlReachable`),
 * which the fake on 127.0.0.1 makes true; the pre-flight spec covers the
 * default, where such an address blocks the post.
 */
test.group('Meta publishing', (group) => {
  const meta = new FakeMeta()
  let pipeline: Awaited<ReturnType<typeof startPipeline>>
  let undo: (() => void)[] = []
  let owner: User
  let workspace: Workspace
  const saved = { ...publishingConfig }

  truncateAroundEach(group)
  group.setup(async () => {
    await meta.start()
    return () => meta.stop()
  })
  group.each.setup(async () => {
    meta.reset()
    undo = [
      await useSettings('facebook', meta.settings()),
      await useSettings('instagram', { ...meta.settings(), containerTimeoutSeconds: 5 }),
    ]
    Object.assign(publishingConfig, {
      backoffBaseMs: 200,
      backoffMaxMs: 1000,
      mediaUrlReachable: true,
    })
    owner = await createUser({ isAdmin: true })
    workspace = await createWorkspace(owner, { timezone: 'Europe/Berlin' })
    pipeline = await startPipeline('postgres', { publishers: ['facebook', 'instagram'] })
    return async () => {
      await pipeline.stop()
      for (const restore of undo) restore()
      Object.assign(publishingConfig, saved)
    }
  })

  function pageAccount() {
    return connectAccount(
      workspace,
      'facebook',
      { accessToken: PAGE.accessToken, scopes: FACEBOOK_SCOPES },
      { externalId: PAGE.id, handle: PAGE.id, displayName: PAGE.name }
    )
  }

  function instagramAccount() {
    return connectAccount(
      workspace,
      'instagram',
      { accessToken: PAGE.accessToken, scopes: INSTAGRAM_SCOPES },
      { externalId: PAGE.igUserId!, handle: PAGE.igUsername!, displayName: '@acmecoffee' }
    )
  }

  async function publishNow(
    input: Partial<ComposeInput> & { accounts: SocialAccount[] }
  ): Promise<PostTarget[]> {
    const action = await app.container.make(ComposePost)
    const result = await action.execute(new WorkspaceAccess(workspace, 'owner', false), owner, {
      baseText: input.baseText ?? `Fresh beans this morning ${Math.random()}`,
      mediaIds: input.mediaIds ?? [],
      targets: input.accounts.map((account) => ({ accountId: account.id, parts: null })),
      intent: 'publish_now',
    })
    if (!result.ok) throw new Error(JSON.stringify(result.errors))
    return PostTarget.query().where('post_id', result.post.id).orderBy('id')
  }

  function requestsTo(route: string) {
    return meta.requests.filter((request) => request.route === route)
  }

  test('a text post with a link goes to the Page feed, with the link as its card', async ({
    assert,
  }) => {
    const [target] = await publishNow({
      accounts: [await pageAccount()],
      baseText: 'Our spring menu is out: https://acme.example/menu.',
    })
    const published = await waitForTarget(target.id, 'published')
    const [feed] = requestsTo('page.feed')
    assert.equal(feed.params.link, 'https://acme.example/menu')
    assert.equal(feed.token, PAGE.accessToken, 'the Page token, not a user token')
    assert.lengthOf(meta.posts, 1)
    assert.equal(published.externalId, meta.posts[0].id)
    assert.equal(published.url, `https://www.facebook.com/${meta.posts[0].id}`)
  })

  test('a photo post hands Meta a signed URL of the image, which it downloads', async ({
    assert,
  }) => {
    const image = await storeRealImage(workspace, { mime: 'image/jpeg', width: 900, height: 600 })
    const [target] = await publishNow({ accounts: [await pageAccount()], mediaIds: [image.id] })
    await waitForTarget(target.id, 'published')
    const [photo] = requestsTo('page.photos')
    assert.match(photo.params.url, /^http:\/\/127\.0\.0\.1:\d+\/media\/s\/\d+\/[\w-]{43}\//)
    assert.isTrue(photo.params.url.endsWith(image.storageKey), 'the original: JPEG is fine')
    assert.deepEqual(
      meta.fetches.map((fetch) => fetch.ok),
      [true],
      'the fake downloaded it without signing in'
    )
  })

  test('Instagram: an AI PNG becomes a JPEG cropped into 4:5..1.91:1, then containers, polling and media_publish', async ({
    assert,
  }) => {
    // 2.5:1 is wider than Instagram takes: cropped to 1.91:1 around the centre.
    const png = await storeRealImage(workspace, { mime: 'image/png', width: 1500, height: 600 })
    const [target] = await publishNow({ accounts: [await instagramAccount()], mediaIds: [png.id] })
    const published = await waitForTarget(target.id, 'published')

    const variant = await db.from('media_variants').where('media_asset_id', png.id).firstOrFail()
    assert.equal(variant.mime, 'image/jpeg')
    assert.deepEqual([variant.width, variant.height], [1146, 600])
    assert.isNull(variant.error)
    const [container] = requestsTo('ig.media')
    assert.isTrue(container.params.image_url.endsWith(variant.storage_key))
    assert.deepEqual(meta.fetches, [
      { url: container.params.image_url, ok: true, width: 1146, height: 600 },
    ])
    assert.isAtLeast(requestsTo('node').length, 1, 'the container status was polled')
    assert.lengthOf(requestsTo('ig.publish'), 1)
    assert.lengthOf(meta.igMedia, 1)
    assert.equal(published.externalId, meta.igMedia[0].id)

    const stored = await fetch(container.params.image_url)
    const metadata = await sharp(new Uint8Array(await stored.arrayBuffer())).metadata()
    assert.equal(metadata.format, 'jpeg')

    // Deleting the image from the library removes its copy too, row and file.
    await (await app.container.make(DeleteMedia)).execute(png)
    assert.lengthOf(await db.from('media_variants'), 0)
    assert.equal((await fetch(container.params.image_url)).status, 404)
  })

  test('Instagram carousel: one container per image, a CAROUSEL parent, one publish; a retry reuses the copies', async ({
    assert,
  }) => {
    const first = await storeRealImage(workspace, { mime: 'image/png', width: 800, height: 800 })
    const second = await storeRealImage(workspace, { mime: 'image/jpeg', width: 600, height: 1200 })
    const account = await instagramAccount()
    const [target] = await publishNow({ accounts: [account], mediaIds: [first.id, second.id] })
    await waitForTarget(target.id, 'published')

    const containers = requestsTo('ig.media')
    assert.deepEqual(
      containers.map((request) => request.params.is_carousel_item ?? request.params.media_type),
      ['true', 'true', 'CAROUSEL']
    )
    assert.lengthOf(requestsTo('ig.publish'), 1)
    assert.deepEqual(
      meta.fetches.map((fetch) => [fetch.width, fetch.height]),
      [
        [800, 800],
        [600, 750],
      ],
      'the PNG converted as is, the 1:2 JPEG cropped to 4:5'
    )
    const variants = await db.from('media_variants').orderBy('id').select('variant')
    assert.deepEqual(
      variants.map((row) => row.variant),
      ['jpeg', 'jpeg-600x750']
    )

    const [again] = await publishNow({ accounts: [account], mediaIds: [first.id, second.id] })
    await waitForTarget(again.id, 'published')
    assert.lengthOf(await db.from('media_variants'), 2, 'the copies were reused')
  })

  test('an image Meta cannot download fails with a clear reason, and nothing is published', async ({
    assert,
  }) => {
    const image = await storeRealImage(workspace, { mime: 'image/jpeg', width: 800, height: 800 })
    // The file is gone from the storage: Herald's signed URL answers 404 to Meta.
    await db
      .from('media_assets')
      .where('id', image.id)
      .update({ storage_key: `w${workspace.id}/gone/missing.jpg`, url: `${image.url}-gone` })
    const [target] = await publishNow({
      accounts: [await instagramAccount()],
      mediaIds: [image.id],
    })
    const failed = await waitForTarget(target.id, ['failed', 'published'])
    assert.equal(failed.status, 'failed')
    assert.include(failed.lastError!, 'could not download')
    assert.include(failed.lastError!, 'publicly reachable')
    assert.deepEqual(
      meta.fetches.map((fetch) => fetch.ok),
      [false]
    )
    assert.lengthOf(requestsTo('ig.publish'), 0)
    assert.lengthOf(await attemptsOf(target.id), 1, 'a permanent failure is not retried')
  })

  test('a container that never finishes: Herald stops polling, never publishes, and fails after its attempts', async ({
    assert,
  }) => {
    undo.push(await useSettings('instagram', { containerTimeoutSeconds: 1 }))
    Object.assign(publishingConfig, { maxAttempts: 2 })
    meta.containerMode = 'never'
    const image = await storeRealImage(workspace, { mime: 'image/jpeg', width: 800, height: 800 })
    const [target] = await publishNow({
      accounts: [await instagramAccount()],
      mediaIds: [image.id],
    })
    const failed = await waitForTarget(target.id, ['failed', 'published', 'unknown'], 30_000)
    assert.equal(failed.status, 'failed')
    assert.include(failed.lastError!, 'Herald gave up after 2 attempts')
    assert.include(failed.lastError!, 'still processing')
    assert.lengthOf(requestsTo('ig.publish'), 0, 'media_publish never sent')
    assert.lengthOf(meta.igMedia, 0)
    const attempts = await attemptsOf(target.id)
    assert.lengthOf(attempts, 2)
    assert.isTrue(
      attempts.every((attempt) => attempt.request_sent_at === null),
      'the creating request never left, so a new attempt was safe'
    )
  })

  test('Graph throttling waits for the reset as RateLimited, spending no attempt', async ({
    assert,
  }) => {
    meta.throttle('page.feed', { code: 32, etaMinutes: 7 })
    const [target] = await publishNow({ accounts: [await pageAccount()] })
    const waiting = await waitForTarget(target.id, 'retrying')
    assert.equal(waiting.lastErrorKind, 'RateLimited')
    assert.match(waiting.lastError!, /limit/i)
    const minutes = (waiting.dueAt!.toMillis() - Date.now()) / 60_000
    assert.isAbove(minutes, 5, 'waits for the hint of the usage headers')
    assert.isBelow(minutes, 9)
    assert.lengthOf(meta.posts, 0)
  })

  test('the same message twice on a Page: the second is Permanent, with a clear message', async ({
    assert,
  }) => {
    const account = await pageAccount()
    const baseText = 'Open late tonight!'
    const [first] = await publishNow({ accounts: [account], baseText })
    await waitForTarget(first.id, 'published')
    const [second] = await publishNow({ accounts: [account], baseText })
    const failed = await waitForTarget(second.id, ['failed', 'published'])
    assert.equal(failed.status, 'failed')
    assert.include(failed.lastError!, 'duplicate of a recent post')
    assert.lengthOf(meta.posts, 1)
    assert.lengthOf(await attemptsOf(second.id), 1)
  })

  test('an image that cannot be decoded is recorded once and fails with words, not a crash', async ({
    assert,
  }) => {
    // Header-only bytes: the type and size are known, the pixels are not.
    const broken = await storeTestImage(workspace, { mime: 'image/png', width: 800, height: 800 })
    const [target] = await publishNow({
      accounts: [await instagramAccount()],
      mediaIds: [broken.id],
    })
    const failed = await waitForTarget(target.id, ['failed', 'published'])
    assert.equal(failed.status, 'failed')
    assert.include(failed.lastError!, 'could not read it as an image')
    const [variant] = await db.from('media_variants').where('media_asset_id', broken.id)
    assert.isNull(variant.storage_key)
    assert.include(variant.error, 'could not be read')
    assert.lengthOf(requestsTo('ig.media'), 0)
  })
})
