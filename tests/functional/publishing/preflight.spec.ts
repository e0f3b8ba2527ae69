import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import publishingConfig from '#config/publishing'
import { ComposePost, type ComposeInput } from '#actions/posts/compose_post'
import { ReconcilePublishing } from '#actions/publishing/reconcile_publishing'
import { ResumeAccountTargets } from '#actions/publishing/resume_account_targets'
import MediaAsset from '#models/media_asset'
import PostTarget from '#models/post_target'
import type SocialAccount from '#models/social_account'
import type User from '#models/user'
import type Workspace from '#models/workspace'
import { WorkspaceAccess } from '#services/workspace_access'
import { truncateAroundEach } from '#tests/helpers/database'
import { createUser, createWorkspace } from '#tests/helpers/factories'
import {
  connectFakeLinkedIn,
  connectFakeMetaPage,
  connectFakeX,
  usePublishingConfig,
  usePublishingFakes,
  waitForTarget,
} from '#tests/helpers/publishing'
import { storeRealImage, storeTestImage } from '#tests/helpers/media'
import { FakeMeta } from '#tests/fakes/meta'
import { FAKE_X_TOKENS, FakeX } from '#tests/fakes/x'
import { FakeLinkedIn } from '#tests/fakes/linkedin'

/**
 * Pre-flight checks (issue 8 item 3): run when a post is scheduled and again
 * shortly before its time, stored on the target, shown beside it; a target
 * with a blocking issue is not sent at its time and says why. APP_URL is
 * 127.0.0.1 in tests, which is private: Instagram media on Herald's own
 * storage are unreachable unless a test says otherwise
 * (`publishingConfig.mediaUrlReachable`).
 */
test.group('Pre-flight checks', (group) => {
  const x = new FakeX()
  const linkedin = new FakeLinkedIn()
  const meta = new FakeMeta()
  let owner: User
  let workspace: Workspace

  truncateAroundEach(group)
  // Workers in every test: jobs of one test never outlive it (they go with the test queue).
  usePublishingFakes(group, { x, linkedin, instagram: meta })
  usePublishingConfig(group)
  group.each.setup(async () => {
    owner = await createUser({ isAdmin: true })
    workspace = await createWorkspace(owner, { timezone: 'Europe/Berlin' })
  })

  function xAccount(scopes?: string[]) {
    return connectFakeX(workspace, 'Acme on X', scopes)
  }

  function linkedinAccount(options: {
    expiresInMs: number
    refreshToken?: string
    externalId?: string
  }) {
    return connectFakeLinkedIn(
      workspace,
      'Acme on LinkedIn',
      { expiresAt: new Date(Date.now() + options.expiresInMs), refreshToken: options.refreshToken },
      options.externalId
    )
  }

  function instagramAccount() {
    return connectFakeMetaPage(workspace, 'instagram', '@acmecoffee')
  }

  async function schedule(
    input: Partial<ComposeInput> & { accounts: SocialAccount[]; at: DateTime }
  ) {
    const action = await app.container.make(ComposePost)
    const result = await action.execute(new WorkspaceAccess(workspace, 'owner', false), owner, {
      baseText: input.baseText ?? `Fresh beans this morning ${Math.random()}`,
      mediaIds: input.mediaIds ?? [],
      targets: input.accounts.map((account) => ({ accountId: account.id, parts: null })),
      intent: 'schedule',
      scheduleAt: input.at,
    })
    if (!result.ok) throw new Error(JSON.stringify(result.errors))
    const targets = await PostTarget.query().where('post_id', result.post.id).orderBy('id')
    return { post: result.post, targets }
  }

  const codes = (target: PostTarget) => target.preflight.map((issue) => issue.code)

  test('a token that expires before the post and cannot be renewed blocks it; a refresh token or an earlier time does not', async ({
    assert,
  }) => {
    const inTwoHours = DateTime.now().plus({ hours: 2 })
    const stranded = await linkedinAccount({ expiresInMs: 3_600_000 })
    const { targets } = await schedule({ accounts: [stranded], at: inTwoHours })
    assert.deepEqual(codes(targets[0]), ['token_expires'])
    assert.isTrue(targets[0].preflight[0].blocking)
    assert.match(
      targets[0].preflight[0].message,
      /connection of Acme on LinkedIn expires on \d+ \w+ \d{4} at \d\d:\d\d, before this post's time/
    )
    assert.isNotNull(targets[0].preflightCheckedAt)

    const sooner = await schedule({
      accounts: [stranded],
      at: DateTime.now().plus({ minutes: 30 }),
    })
    assert.deepEqual(codes(sooner.targets[0]), [])

    await db.from('social_accounts').where('id', stranded.id).update({ status: 'disabled' })
    const renewable = await linkedinAccount({
      expiresInMs: 3_600_000,
      refreshToken: 'r-token',
      externalId: 'another-member',
    })
    const refreshed = await schedule({ accounts: [renewable, await xAccount()], at: inTwoHours })
    assert.deepEqual(refreshed.targets.map(codes), [[], []], 'LinkedIn and X refresh themselves')
  })

  test('scopes missing against the plugin’s publish scopes block, naming them', async ({
    assert,
  }) => {
    const account = await xAccount(['tweet.read', 'users.read', 'offline.access'])
    const { targets } = await schedule({
      accounts: [account],
      at: DateTime.now().plus({ hours: 1 }),
    })
    assert.deepEqual(codes(targets[0]), ['scopes_missing'])
    assert.include(targets[0].preflight[0].message, '(tweet.write, media.write)')
    assert.include(targets[0].preflight[0].message, 'Reconnect it on the Accounts page')
  })

  test('Instagram media on Herald’s own storage behind a private APP_URL block; Cloudinary media and a reachable APP_URL do not', async ({
    assert,
  }) => {
    const account = await instagramAccount()
    const local = await storeRealImage(workspace, { mime: 'image/jpeg', width: 800, height: 800 })
    const at = DateTime.now().plus({ hours: 1 })
    const blocked = await schedule({ accounts: [account], at, mediaIds: [local.id] })
    assert.deepEqual(codes(blocked.targets[0]), ['media_unreachable'])
    assert.include(
      blocked.targets[0].preflight[0].message,
      'Instagram downloads the images from 127.0.0.1'
    )
    assert.include(blocked.targets[0].preflight[0].message, 'Set APP_URL')

    const cloudinary = await MediaAsset.create({
      workspaceId: workspace.id,
      storagePlugin: 'cloudinary',
      storageKey: 'image/herald/w1/latte',
      url: 'https://res.cloudinary.com/acme/image/upload/v1/herald/w1/latte.jpg',
      mime: 'image/jpeg',
      bytes: 1000,
      width: 800,
      height: 800,
      source: 'upload',
    })
    const remote = await schedule({ accounts: [account], at, mediaIds: [cloudinary.id] })
    assert.deepEqual(codes(remote.targets[0]), [])

    publishingConfig.mediaUrlReachable = true
    const trusted = await schedule({ accounts: [account], at, mediaIds: [local.id] })
    assert.deepEqual(codes(trusted.targets[0]), [])
  })

  test('an image that cannot be converted to JPEG blocks Instagram', async ({ assert }) => {
    publishingConfig.mediaUrlReachable = true
    const broken = await storeTestImage(workspace, { mime: 'image/png', width: 800, height: 800 })
    const { targets } = await schedule({
      accounts: [await instagramAccount()],
      at: DateTime.now().plus({ hours: 1 }),
      mediaIds: [broken.id],
    })
    assert.deepEqual(codes(targets[0]), ['media_unconvertible'])
    assert.include(
      targets[0].preflight[0].message,
      'Image 1 cannot be turned into a JPEG for Instagram'
    )
  })

  test('the X free-tier quota is a warning when the 24 hours up to the post reach it', async ({
    assert,
  }) => {
    const account = await xAccount()
    const at = DateTime.now().plus({ hours: 3 })
    let last: PostTarget | undefined
    for (let index = 0; index < 18; index++) {
      const { targets } = await schedule({ accounts: [account], at: at.plus({ minutes: index }) })
      last = targets[0]
      if (index === 16) assert.deepEqual(codes(targets[0]), [], 'the 17th still fits')
    }
    assert.deepEqual(codes(last!), ['quota'])
    assert.isFalse(last!.preflight[0].blocking)
    assert.include(last!.preflight[0].message, 'This is post 18 of Acme on X')
    assert.include(last!.preflight[0].message, 'free tier allows about 17')
  })

  test('the post page shows blocking issues in red and warnings in amber, in words', async ({
    client,
    assert,
  }) => {
    const { post, targets } = await schedule({
      accounts: [await xAccount(['tweet.read'])],
      at: DateTime.now().plus({ hours: 1 }),
    })
    await db
      .from('post_targets')
      .where('id', targets[0].id)
      .update({
        preflight: JSON.stringify([
          ...targets[0].preflight,
          { code: 'quota', blocking: false, message: 'This is post 18 of Acme on X.' },
        ]),
      })
    const page = await client.get(`/w/${workspace.slug}/posts/${post.id}`).loginAs(owner)
    page.assertStatus(200)
    const html = page.text()
    assert.match(
      html,
      /class="preflight-issue blocking" data-preflight="scopes_missing">\s*<strong>Will not be sent:<\/strong>/
    )
    assert.match(
      html,
      /class="preflight-issue warning" data-preflight="quota">\s*<strong>Warning:<\/strong>\s*This is post 18 of Acme on X\./
    )
  })

  test('at its time a blocked target is not sent and says why; nothing sits in queued', async ({
    assert,
  }) => {
    const at = DateTime.now().plus({ milliseconds: 1500 })
    const image = await storeRealImage(workspace, { mime: 'image/jpeg', width: 800, height: 800 })
    const instagram = await instagramAccount()
    const stale = await linkedinAccount({ expiresInMs: -60_000 })
    const { targets } = await schedule({
      accounts: [instagram, stale],
      at,
      mediaIds: [image.id],
    })
    const [onInstagram, onLinkedIn] = await Promise.all([
      waitForTarget(targets[0].id, ['failed', 'published']),
      waitForTarget(targets[1].id, ['needs_reconnect', 'published']),
    ])
    assert.equal(onInstagram.status, 'failed')
    assert.match(onInstagram.lastError!, /^Not sent: Instagram downloads the images/)
    assert.equal(onLinkedIn.status, 'needs_reconnect', 'a reconnect fixes it')
    assert.match(onLinkedIn.lastError!, /^Not sent: The LinkedIn connection .* expired on/)
    assert.lengthOf(meta.requests, 0, 'nothing reached Meta')
    assert.lengthOf(linkedin.requests, 0, 'nothing reached LinkedIn')
    assert.lengthOf(await db.from('publish_attempts'), 0, 'never claimed')
  })

  test('the reconciler checks again in the last 10 minutes; a reconnect checks again too', async ({
    assert,
  }) => {
    const account = await xAccount()
    const { targets } = await schedule({
      accounts: [account],
      at: DateTime.now().plus({ minutes: 5 }),
    })
    assert.deepEqual(codes(targets[0]), [])
    // Scheduled long ago; the scopes were cut since.
    await db
      .from('post_targets')
      .where('id', targets[0].id)
      .update({ preflight_checked_at: new Date(Date.now() - 3_600_000) })
    await db
      .from('social_accounts')
      .where('id', account.id)
      .update({ scopes: JSON.stringify(['tweet.read']) })

    const reconciler = await app.container.make(ReconcilePublishing)
    const report = await reconciler.execute()
    assert.equal(report.prechecked, 1)
    await targets[0].refresh()
    assert.deepEqual(codes(targets[0]), ['scopes_missing'])
    assert.equal((await reconciler.execute()).prechecked, 0, 'checked once in the window')

    await db
      .from('social_accounts')
      .where('id', account.id)
      .update({ scopes: JSON.stringify([...FAKE_X_TOKENS.scopes]) })
    await new ResumeAccountTargets().execute(account.id)
    await targets[0].refresh()
    assert.deepEqual(codes(targets[0]), [], 'the reconnect cleared it')
  })
})
