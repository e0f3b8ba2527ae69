import { test } from '@japa/runner'
import { spawn, type ChildProcess } from 'node:child_process'
import app from '@adonisjs/core/services/app'
import publishingConfig from '#config/publishing'
import { ComposePost } from '#actions/posts/compose_post'
import { ReconcilePublishing } from '#actions/publishing/reconcile_publishing'
import PostTarget from '#models/post_target'
import { WorkspaceAccess } from '#services/workspace_access'
import { truncateAroundEach } from '#tests/helpers/database'
import { createUser, createWorkspace } from '#tests/helpers/factories'
import { RUN_ID, printRedisNotice, queueBackends, waitFor } from '#tests/helpers/queue'
import { connectFakeX, startPipeline, useSettings } from '#tests/helpers/publishing'
import { FakeX } from '#tests/fakes/x'

/**
 * A worker process (`node ace queue:work`) is killed with SIGKILL while 20
 * publishes are in flight at a slow X. Whatever the timing, no post may
 * appear twice at X, and every target ends published or unknown (then looked
 * up and found), never stuck in `publishing`.
 */
for (const kind of queueBackends()) {
  test.group(`Publishing survives kill -9 of a worker on ${kind}`, (group) => {
    const x = new FakeX()
    let child: ChildProcess | undefined
    const saved = { ...publishingConfig }

    truncateAroundEach(group)
    group.setup(async () => {
      await x.start()
      return () => x.stop()
    })
    group.teardown(() => printRedisNotice())
    group.each.setup(() => {
      x.reset()
      return () => {
        child?.kill('SIGKILL')
        Object.assign(publishingConfig, saved)
      }
    })

    test('20 publishes in flight, SIGKILL: no duplicate, every target settles', async ({
      assert,
    }) => {
      const undo = await useSettings('x', x.settings())
      const owner = await createUser({ isAdmin: true })
      const workspace = await createWorkspace(owner)
      const account = await connectFakeX(workspace)
      x.latencyMs = 3000

      const lines: string[] = []
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        QUEUE_PREFIX: `herald-test-${RUN_ID}`,
        PUBLISH_LEASE_SECONDS: '3',
        PUBLISH_CONCURRENCY: '20',
      }
      if (kind === 'postgres') delete env.REDIS_URL
      child = spawn(process.execPath, ['ace.js', 'queue:work', '--queue=publish-x'], {
        cwd: app.makePath(),
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      child.stdout!.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n')))
      child.stderr!.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n')))
      await waitFor(() => lines.some((line) => line.includes('queue workers started')), {
        timeout: 30_000,
        message: `the worker process to start (it said: ${lines.slice(-5).join(' | ')})`,
      })

      const pipeline = await startPipeline(kind, { publishers: [] })
      const compose = await app.container.make(ComposePost)
      const targets: number[] = []
      for (let index = 0; index < 20; index++) {
        const result = await compose.execute(
          new WorkspaceAccess(workspace, 'owner', false),
          owner,
          {
            baseText: `Crash test post number ${index}`,
            mediaIds: [],
            targets: [{ accountId: account.id, parts: null }],
            intent: 'publish_now',
          }
        )
        if (!result.ok) throw new Error(JSON.stringify(result.errors))
        const [target] = await PostTarget.query().where('post_id', result.post.id)
        targets.push(target.id)
      }
      await waitFor(() => x.requestsTo('tweets.create').length === 20, {
        timeout: 20_000,
        message: 'all 20 creating requests to be in flight',
      })
      child.kill('SIGKILL')
      await new Promise((resolve) => child!.once('exit', resolve))
      assert.lengthOf(
        await PostTarget.query().whereIn('id', targets).where('status', 'publishing'),
        20,
        'the dead worker left every target publishing'
      )

      // A new worker (with the reconciler) takes over once the leases lapse.
      await pipeline.stop()
      Object.assign(publishingConfig, { resolveUnknownDelaysMs: [100, 500] })
      const survivor = await startPipeline(kind, { publishers: ['x'] })
      try {
        await new Promise((resolve) => setTimeout(resolve, 3500))
        const report = await (await app.container.make(ReconcilePublishing)).execute()
        assert.equal(report.unknown, 20, 'sent before the kill: unknown, never resent')
        await waitFor(
          async () =>
            (await PostTarget.query().whereIn('id', targets).where('status', 'published'))
              .length === 20,
          { timeout: 30_000, message: 'every unknown target to be found live' }
        )
      } finally {
        await survivor.stop()
        undo()
      }
      assert.lengthOf(x.requestsTo('tweets.create'), 20, 'no creating request was repeated')
      assert.lengthOf(x.liveTweets(), 20)
      assert.equal(new Set(x.liveTweets().map((tweet) => tweet.text)).size, 20)
    }).timeout(120_000)
  })
}
