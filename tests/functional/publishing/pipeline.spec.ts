import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { DateTime } from 'luxon'
import publishingConfig from '#config/publishing'
import { ComposePost, type ComposeInput } from '#actions/posts/compose_post'
import { ReconcilePublishing } from '#actions/publishing/reconcile_publishing'
import { PublishTarget } from '#actions/publishing/publish_target'
import { ConnectSocialAccount } from '#actions/accounts/connect_social_account'
import Post from '#models/post'
import PostTarget from '#models/post_target'
import SocialAccount from '#models/social_account'
import type User from '#models/user'
import type Workspace from '#models/workspace'
import { WorkspaceAccess } from '#services/workspace_access'
import { truncateAroundEach } from '#tests/helpers/database'
import { createUser, createWorkspace } from '#tests/helpers/factories'
import { printRedisNotice, queueBackends, waitFor } from '#tests/helpers/queue'
import {
  attemptsOf,
  connectAccount,
  startPipeline,
  useSettings,
  waitForTarget,
} from '#tests/helpers/publishing'
import { FAKE_X_TOKENS, FAKE_X_USER, FakeX } from '#tests/fakes/x'
import { storeTestImage } from '#tests/helpers/media'
import { FAKE_LINKEDIN_MEMBER, FAKE_LINKEDIN_TOKENS, FakeLinkedIn } from '#tests/fakes/linkedin'

/**
 * The publishing pipeline end to end, once per queue backend: real workers,
 * real PostgreSQL (no wrapping transaction: workers and tests race for real),
 * the X and LinkedIn plugins over real HTTP against their strict fakes.
 */
for (const kind of queueBackends()) {
  test.group(`Publishing pipeline on ${kind}`, (group) => {
    const x = new FakeX()
    const linkedin = new FakeLinkedIn()
    let pipeline: Awaited<ReturnType<typeof startPipeline>>
    let undo: (() => void)[] = []
    let owner: User
    let workspace: Workspace
    const saved = { ...publishingConfig }

    truncateAroundEach(group)
    group.setup(async () => {
      await x.start()
      await linkedin.start()
      return async () => {
        await x.stop()
        await linkedin.stop()
      }
    })
    group.teardown(() => printRedisNotice())
    group.each.setup(async () => {
      x.reset()
      linkedin.reset()
      undo = [
        await useSettings('x', x.settings()),
        await useSettings('linkedin', linkedin.settings()),
      ]
      Object.assign(publishingConfig, { backoffBaseMs: 300, backoffMaxMs: 2000 })
      owner = await createUser({ isAdmin: true })
      workspace = await createWorkspace(owner, { timezone: 'Europe/Berlin' })
      pipeline = await startPipeline(kind)
      return async () => {
        await pipeline.stop()
        for (const restore of undo) restore()
        Object.assign(publishingConfig, saved)
      }
    })

    async function xAccount() {
      return connectAccount(
        workspace,
        'x',
        { ...FAKE_X_TOKENS, scopes: [...FAKE_X_TOKENS.scopes], expiresAt: inMinutes(120) },
        { externalId: FAKE_X_USER.id, handle: FAKE_X_USER.username }
      )
    }

    async function linkedinAccount() {
      return connectAccount(
        workspace,
        'linkedin',
        { ...FAKE_LINKEDIN_TOKENS, scopes: [...FAKE_LINKEDIN_TOKENS.scopes] },
        { externalId: FAKE_LINKEDIN_MEMBER.sub, handle: FAKE_LINKEDIN_MEMBER.name }
      )
    }

    async function compose(input: Partial<ComposeInput> & { accounts: SocialAccount[] }) {
      const action = await app.container.make(ComposePost)
      const result = await action.execute(new WorkspaceAccess(workspace, 'owner', false), owner, {
        baseText: input.baseText ?? `Fresh beans this morning ${Math.random()}`,
        mediaIds: input.mediaIds ?? [],
        targets:
          input.targets ??
          input.accounts.map((account) => ({ accountId: account.id, parts: null })),
        intent: input.intent ?? 'publish_now',
        scheduleAt: input.scheduleAt,
      })
      if (!result.ok) throw new Error(JSON.stringify(result.errors))
      const targets = await PostTarget.query().where('post_id', result.post.id).orderBy('id')
      return { post: result.post, targets }
    }

    test('a post scheduled on X and LinkedIn goes out at its time, once, and says where', async ({
      assert,
    }) => {
      const accounts = [await xAccount(), await linkedinAccount()]
      const at = DateTime.now().plus({ milliseconds: 1500 })
      const { targets } = await compose({ accounts, intent: 'schedule', scheduleAt: at })
      assert.deepEqual(
        targets.map((target) => target.status),
        ['scheduled', 'scheduled']
      )

      const [onX, onLinkedIn] = await Promise.all(
        targets.map((target) => waitForTarget(target.id, 'published'))
      )
      assert.lengthOf(x.liveTweets(), 1)
      assert.lengthOf(linkedin.posts, 1)
      assert.equal(onX.externalId, x.liveTweets()[0].id)
      assert.equal(onX.url, `https://x.com/${FAKE_X_USER.username}/status/${onX.externalId}`)
      assert.match(onLinkedIn.url!, /^https:\/\/www\.linkedin\.com\/feed\/update\/urn:li:share:/)
      assert.isAtLeast(onX.publishedAt!.toMillis(), at.toMillis() - 5, 'never early')
      const created = x.requestsTo('tweets.create')[0]
      assert.isAtLeast(created.at.getTime(), at.toMillis() - 5)

      const attempts = await attemptsOf(onX.id)
      assert.lengthOf(attempts, 1)
      assert.equal(attempts[0].outcome, 'published')
      assert.isNotNull(attempts[0].request_sent_at)
      const post = await Post.findOrFail(onX.postId)
      assert.equal(post.status, 'published')
    })

    test('a rate limit waits for the reset: no request before it, then it goes out', async ({
      assert,
    }) => {
      const account = await xAccount()
      const resetAt = new Date(Date.now() + 2500)
      x.rateLimit({ resetAt })
      const { targets } = await compose({ accounts: [account] })
      const waiting = await waitForTarget(targets[0].id, 'retrying')
      assert.include(waiting.lastError!, 'rate limit reached')
      assert.isAtLeast(waiting.dueAt!.toMillis(), resetAt.getTime())

      const done = await waitForTarget(targets[0].id, 'published', 20_000)
      const creates = x.requestsTo('tweets.create')
      assert.lengthOf(x.rateLimitedRequests, 1, 'one request met the limit, none came after it')
      assert.isAtLeast(creates.at(-1)!.at.getTime(), resetAt.getTime(), 'the retry waited')
      assert.lengthOf(x.liveTweets(), 1)
      const attempts = await attemptsOf(done.id)
      assert.deepEqual(
        attempts.map((attempt) => attempt.outcome),
        ['rate_limited', 'published']
      )
    })

    test('temporary failures retry with backoff, then go out', async ({ assert }) => {
      const account = await xAccount()
      const image = await storeTestImage(workspace)
      x.fail(503, { route: 'media.initialize', times: 2 })
      const { targets } = await compose({ accounts: [account], mediaIds: [image.id] })
      const done = await waitForTarget(targets[0].id, 'published', 20_000)
      const attempts = await attemptsOf(done.id)
      assert.deepEqual(
        attempts.map((attempt) => attempt.outcome),
        ['retrying', 'retrying', 'published']
      )
      assert.isNull(
        attempts[0].request_sent_at,
        'the post itself was never sent by a failed attempt'
      )
      const gap =
        new Date(attempts[1].started_at).getTime() - new Date(attempts[0].finished_at).getTime()
      assert.isAtLeast(gap, 300 * 0.8 - 50, 'the first retry waited for its backoff')
      assert.lengthOf(x.liveTweets(), 1)
      assert.lengthOf(x.liveTweets()[0].mediaIds, 1)
    })

    test('after five temporary failures the target fails with the reason in words', async ({
      assert,
    }) => {
      const account = await xAccount()
      const image = await storeTestImage(workspace)
      x.fail(503, { route: 'media.initialize' })
      const { targets, post } = await compose({ accounts: [account], mediaIds: [image.id] })
      const failed = await waitForTarget(targets[0].id, 'failed', 30_000)
      assert.include(failed.lastError!, 'Herald gave up after 5 attempts')
      assert.lengthOf(await attemptsOf(failed.id), 5)
      assert.lengthOf(x.liveTweets(), 0)
      const kept = await Post.query().where('id', post.id).preload('media').firstOrFail()
      assert.equal(kept.status, 'failed')
      assert.equal(kept.baseText, post.baseText, 'the text is kept')
      assert.deepEqual(
        kept.media.map((asset) => asset.id),
        [image.id],
        'the media are kept'
      )
    })

    test('a 5xx answer to the creating request is unknown: looked up, never resent', async ({
      assert,
    }) => {
      Object.assign(publishingConfig, { resolveUnknownDelaysMs: [100, 100] })
      const account = await xAccount()
      x.fail(503)
      const { targets } = await compose({ accounts: [account] })
      const unknown = await waitForTarget(targets[0].id, 'unknown')
      await waitFor(async () => {
        const target = await PostTarget.findOrFail(unknown.id)
        return target.lastError?.includes('could not find the post') ? target : undefined
      })
      assert.lengthOf(x.requestsTo('tweets.create'), 1)
      assert.isAtLeast(x.requestsTo('timeline').length, 2, 'findPublished looked twice')
      assert.lengthOf(x.liveTweets(), 0)
    })

    test('a permanent refusal fails at once with the platform reason, and keeps the post', async ({
      assert,
    }) => {
      const account = await xAccount()
      const text = 'The same words twice'
      x.holdTweet(text)
      const { targets, post } = await compose({ accounts: [account], baseText: text })
      const failed = await waitForTarget(targets[0].id, 'failed')
      assert.match(failed.lastError!, /duplicate/i)
      assert.isNotNull(failed.lastErrorDetail)
      assert.lengthOf(await attemptsOf(failed.id), 1)
      const kept = await Post.findOrFail(post.id)
      assert.equal(kept.baseText, text)
    })

    test('an answer lost after the post was sent is unknown, never sent twice', async ({
      assert,
    }) => {
      const account = await xAccount()
      x.dropAfterCommit('tweets.create')
      const { targets } = await compose({ accounts: [account] })
      const unknown = await waitForTarget(targets[0].id, ['unknown', 'published'])
      // The look-up (findPublished) may already have found it; either way, one post exists.
      assert.lengthOf(x.liveTweets(), 1)
      assert.lengthOf(x.requestsTo('tweets.create'), 1)
      const attempts = await attemptsOf(unknown.id)
      assert.equal(attempts[0].outcome, 'unknown')
    })

    test('commit-then-hang: the call times out after sending; unknown, reconciled, no second post', async ({
      assert,
    }) => {
      Object.assign(publishingConfig, { callTimeoutMs: 1500, resolveUnknownDelaysMs: [200] })
      const account = await xAccount()
      x.commitThenHang('tweets.create')
      const { targets } = await compose({ accounts: [account] })
      await waitForTarget(targets[0].id, 'unknown', 10_000)
      assert.lengthOf(x.liveTweets(), 1)
      const found = await waitForTarget(targets[0].id, 'published', 10_000)
      assert.equal(found.externalId, x.liveTweets()[0].id, 'findPublished found the live post')
      assert.lengthOf(x.requestsTo('tweets.create'), 1, 'never sent again')
    })

    test('a revoked token is refreshed once; a refused refresh asks for a reconnect', async ({
      assert,
    }) => {
      const account = await xAccount()
      x.revokeAll()
      const { targets } = await compose({ accounts: [account] })
      const target = await waitForTarget(targets[0].id, 'needs_reconnect')
      assert.include(target.lastError!, 'Reconnect')
      await account.refresh()
      assert.equal(account.status, 'needs_reconnect')
      assert.isNotNull(account.statusReason)
      assert.lengthOf(x.liveTweets(), 0)
      assert.isAtMost(x.requestsTo('token').length, 1, 'one refresh at most')
    })

    test('reconnecting the account sends the posts that stopped for it', async ({ assert }) => {
      const account = await xAccount()
      x.revokeAll()
      const { targets } = await compose({ accounts: [account] })
      await waitForTarget(targets[0].id, 'needs_reconnect')
      x.reset()
      const connect = await app.container.make(ConnectSocialAccount)
      await connect.execute({
        workspace,
        user: owner,
        pluginId: 'x',
        platform: 'X',
        profile: { externalId: FAKE_X_USER.id, handle: FAKE_X_USER.username, displayName: 'X' },
        tokens: { ...FAKE_X_TOKENS, scopes: [...FAKE_X_TOKENS.scopes], expiresAt: inMinutes(120) },
        accountId: account.id,
      })
      const done = await waitForTarget(targets[0].id, 'published')
      assert.lengthOf(x.liveTweets(), 1)
      assert.equal(done.externalId, x.liveTweets()[0].id)
    })

    test('twenty posts on an expired X token cause exactly one refresh', async ({ assert }) => {
      const account = await xAccount()
      await SocialAccount.query()
        .where('id', account.id)
        .update({ token_expires_at: new Date(Date.now() - 1000) })
      x.expireAccessTokens()
      const posts = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          compose({ accounts: [account], baseText: `Post number ${index} of the day` })
        )
      )
      await Promise.all(
        posts.map(({ targets }) => waitForTarget(targets[0].id, 'published', 30_000))
      )
      assert.equal(x.refreshCount, 1)
      assert.lengthOf(x.liveTweets(), 20)
    })

    test('a thread that fails at part 3 resumes at part 3', async ({ assert }) => {
      const account = await xAccount()
      const reset = Math.ceil(Date.now() / 1000) + 1
      x.fault(
        'tweets.create',
        {
          type: 'status',
          status: 429,
          body: { title: 'Too Many Requests', detail: 'Too Many Requests', status: 429 },
          headers: {
            'x-rate-limit-limit': '100',
            'x-rate-limit-remaining': '0',
            'x-rate-limit-reset': String(reset),
          },
        },
        { skip: 2, times: 1 }
      )
      const parts = ['One: the beans', 'Two: the roast', 'Three: the cup', 'Four: the end'].map(
        (text) => ({ text, mediaIds: [] })
      )
      const { targets } = await compose({
        accounts: [account],
        targets: [{ accountId: account.id, parts }],
      })
      const done = await waitForTarget(targets[0].id, 'published', 20_000)
      const live = x.liveTweets()
      assert.deepEqual(
        live.map((tweet) => tweet.text),
        parts.map((part) => part.text)
      )
      assert.equal(live[2].inReplyTo, live[1].id, 'part 3 replies to part 2')
      assert.lengthOf(x.requestsTo('tweets.create'), 5, 'parts 1-2 once, part 3 twice, part 4 once')
      assert.lengthOf(done.publishedParts, 4)
      assert.equal(done.externalId, live[0].id)
      const attempts = await attemptsOf(done.id)
      assert.deepEqual(
        attempts.map((attempt) => attempt.outcome),
        ['rate_limited', 'published']
      )
    })

    test('double-clicking publish now publishes once; racing workers publish once', async ({
      assert,
    }) => {
      const account = await xAccount()
      const { post, targets } = await compose({ accounts: [account], intent: 'save' })
      const action = await app.container.make(ComposePost)
      const access = new WorkspaceAccess(workspace, 'owner', false)
      const input = {
        baseText: post.baseText,
        mediaIds: [],
        targets: [{ accountId: account.id, parts: null }],
        intent: 'publish_now' as const,
      }
      await Promise.all([
        action.execute(access, owner, input, post),
        action.execute(access, owner, input, post),
      ])
      await waitForTarget(targets[0].id, 'published')

      const target = await PostTarget.findOrFail(targets[0].id)
      const publish = await app.container.make(PublishTarget)
      const replays = await Promise.all([
        publish.execute({ targetId: target.id, seq: target.jobSeq }, 'racer-1'),
        publish.execute({ targetId: target.id, seq: target.jobSeq }, 'racer-2'),
      ])
      assert.deepEqual(
        replays.map((replay) => replay.kind),
        ['skipped', 'skipped']
      )
      assert.lengthOf(x.liveTweets(), 1)
      assert.lengthOf(await attemptsOf(target.id), 1)
    })

    test('the reconciler re-queues a lost attempt that never sent, and makes a sent one unknown', async ({
      assert,
    }) => {
      await pipeline.stop()
      pipeline = await startPipeline(kind, { publishers: [] })
      const account = await xAccount()
      const first = await compose({ accounts: [account], intent: 'save' })
      const second = await compose({ accounts: [account], intent: 'save' })
      for (const [index, { targets }] of [first, second].entries()) {
        const target = targets[0]
        await PostTarget.query()
          .where('id', target.id)
          .update({ status: 'publishing', attempt_count: 1 })
        await app.container.make('lucid.db').then((db) =>
          db.table('publish_attempts').insert({
            post_target_id: target.id,
            attempt_no: 1,
            started_at: new Date(Date.now() - 300_000),
            lease_expires_at: new Date(Date.now() - 1000),
            request_sent_at: index === 1 ? new Date(Date.now() - 299_000) : null,
          })
        )
      }
      const report = await (await app.container.make(ReconcilePublishing)).execute()
      assert.equal(report.requeued, 1)
      assert.equal(report.unknown, 1)
      const requeued = await PostTarget.findOrFail(first.targets[0].id)
      const unknown = await PostTarget.findOrFail(second.targets[0].id)
      assert.equal(requeued.status, 'queued')
      assert.equal(requeued.jobSeq, first.targets[0].jobSeq + 1)
      assert.equal(unknown.status, 'unknown')
      assert.lengthOf(x.liveTweets(), 0, 'the reconciler itself never publishes')
    })

    test('a target past the missed window is missed, not published late', async ({ assert }) => {
      const account = await xAccount()
      const { post, targets } = await compose({ accounts: [account], intent: 'save' })
      await Post.query()
        .where('id', post.id)
        .update({ scheduled_at: new Date(Date.now() - publishingConfig.missedWindowMs - 60_000) })
      await PostTarget.query()
        .where('id', targets[0].id)
        .update({ status: 'scheduled', due_at: new Date(Date.now() - 60_000) })
      const report = await (await app.container.make(ReconcilePublishing)).execute()
      assert.equal(report.missed, 1)
      const missed = await PostTarget.findOrFail(targets[0].id)
      assert.equal(missed.status, 'missed')
      assert.include(missed.lastError!, 'stale posts are not sent late')
      await waitFor(async () => (await Post.findOrFail(post.id)).status === 'needs_attention')
      assert.lengthOf(x.liveTweets(), 0)
    })
  })
}

function inMinutes(minutes: number) {
  return new Date(Date.now() + minutes * 60_000)
}
