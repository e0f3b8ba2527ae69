import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { DateTime } from 'luxon'
import shieldConfig from '#config/shield'
import { ComposePost } from '#actions/posts/compose_post'
import PostTarget from '#models/post_target'
import { WorkspaceAccess } from '#services/workspace_access'
import { appQueues } from '#queue/queues'
import { truncateAroundEach } from '#tests/helpers/database'
import { createUser, createWorkspace } from '#tests/helpers/factories'
import { printRedisNotice, queueBackends, waitFor } from '#tests/helpers/queue'
import { connectFakeX, startPipeline, useSettings, waitForTarget } from '#tests/helpers/publishing'
import { FAKE_X_TOKENS, FakeX } from '#tests/fakes/x'

test.group('Security: headers', () => {
  test('CSP without inline script, no framing, no sniffing; HSTS in production', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/login')
    const csp = response.header('content-security-policy') ?? ''
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? ''
    assert.equal(scriptSrc.trim(), "'self'")
    assert.notInclude(csp, 'unsafe-eval')
    assert.match(csp, /frame-ancestors 'none'/)
    assert.match(csp, /object-src 'none'/)
    assert.equal(response.header('x-frame-options'), 'DENY')
    assert.equal(response.header('x-content-type-options'), 'nosniff')
    // HSTS is on exactly when Herald runs in production (.ci/run checks the header on a production boot).
    assert.equal(shieldConfig.hsts.enabled, app.inProduction)
    assert.isFalse(app.inProduction)
  })
})

for (const kind of queueBackends()) {
  test.group(`Security: no token in BullMQ job data on ${kind}`, (group) => {
    const x = new FakeX()
    truncateAroundEach(group)
    group.setup(async () => {
      await x.start()
      return () => x.stop()
    })
    group.teardown(() => printRedisNotice())

    test('queued, delayed, retried and failed publish jobs carry ids only', async ({ assert }) => {
      x.reset()
      const undo = await useSettings('x', x.settings())
      const pipeline = await startPipeline(kind)
      try {
        const owner = await createUser({ isAdmin: true })
        const workspace = await createWorkspace(owner)
        const account = await connectFakeX(workspace)
        const compose = await app.container.make(ComposePost)
        const access = new WorkspaceAccess(workspace, 'owner', false)
        const later = await compose.execute(access, owner, {
          baseText: 'Tomorrow morning',
          mediaIds: [],
          targets: [{ accountId: account.id, parts: null }],
          intent: 'schedule',
          scheduleAt: DateTime.now().plus({ days: 1 }),
        })
        x.rateLimit({ resetAt: new Date(Date.now() + 60_000) })
        const now = await compose.execute(access, owner, {
          baseText: 'Right now',
          mediaIds: [],
          targets: [{ accountId: account.id, parts: null }],
          intent: 'publish_now',
        })
        assert.isTrue(later.ok && now.ok)
        const [retrying] = await PostTarget.query().where('post_id', now.ok ? now.post.id : 0)
        await waitForTarget(retrying.id, 'retrying')

        const secrets = [
          FAKE_X_TOKENS.accessToken,
          FAKE_X_TOKENS.refreshToken,
          x.settings().clientSecret,
        ]
        const jobs = await waitFor(async () => {
          const found = []
          for (const queue of pipeline.manager.openQueues) {
            found.push(
              ...(await queue.getJobs([
                'waiting',
                'delayed',
                'active',
                'completed',
                'failed',
                'prioritized',
              ]))
            )
          }
          return found.length >= 2 ? found : undefined
        })
        for (const job of jobs) {
          const stored = JSON.stringify({
            data: job.data,
            opts: job.opts,
            returnvalue: job.returnvalue,
            failedReason: job.failedReason,
            stacktrace: job.stacktrace,
          })
          for (const secret of secrets) assert.notInclude(stored, secret, `job ${job.id}`)
          if (job.name === 'publish_target') {
            assert.sameMembers(Object.keys(job.data), ['targetId', 'seq'])
          }
        }
        assert.isTrue(appQueues() === pipeline.manager)
      } finally {
        await pipeline.stop()
        undo()
      }
    })
  })
}
