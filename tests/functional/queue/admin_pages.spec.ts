import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import encryption from '@adonisjs/core/services/encryption'
import Tokens from 'csrf'
import type { QueueManager } from '#queue/queue_manager'
import { useQueueManager } from '#queue/queues'
import { workerHealth } from '#queue/worker_health'
import { isolateDatabase } from '#tests/helpers/database'
import { addMember, createUser, createWorkspace } from '#tests/helpers/factories'
import { createTestManager, destroyManager, queueBackends, waitFor } from '#tests/helpers/queue'

/**
 * The value bull-board's axios sends: the XSRF-TOKEN cookie (an encrypted CSRF
 * token for the session's secret) in the X-XSRF-TOKEN header.
 */
function xsrfFor(secret: string) {
  const token = new Tokens().create(secret)
  return `e:${encryption.encrypt(token, undefined, 'XSRF-TOKEN')}`
}

for (const kind of queueBackends()) {
  test.group(`Admin queue pages on ${kind}`, (group) => {
    isolateDatabase(group)
    let manager: QueueManager

    group.setup(() => {
      manager = createTestManager(kind)
      const restore = useQueueManager(manager)
      return async () => {
        restore()
        await destroyManager(manager)
      }
    })

    test('an admin opens bull-board: page, static files and API', async ({ client, assert }) => {
      const admin = await createUser({ isAdmin: true })

      const page = await client.get('/admin/queues').loginAs(admin)
      page.assertStatus(200)
      assert.include(page.text(), '<title>Herald queues</title>')
      assert.include(page.text(), '<base href="/admin/queues/" />')
      assert.notInclude(page.text(), 'fonts.googleapis.com')
      const csp = page.header('content-security-policy')
      assert.include(csp, `script-src 'self';`)
      assert.include(csp, `style-src 'self' 'unsafe-inline'`)
      assert.property(page.cookies(), 'XSRF-TOKEN')

      const script = page.text().match(/src="(static\/js\/main\.[^"]+\.js)"/)![1]
      const asset = await client.get(`/admin/queues/${script}`).loginAs(admin)
      asset.assertStatus(200)
      assert.match(asset.header('content-type') ?? '', /^text\/javascript/)
      const css = page.text().match(/href="(static\/css\/[^"]+\.css)"/)![1]
      const stylesheet = await client.get(`/admin/queues/${css}`).loginAs(admin)
      assert.match(stylesheet.header('content-type') ?? '', /^text\/css/)
      ;(
        await client.get('/admin/queues/static/..%2F..%2Fpackage.json').loginAs(admin)
      ).assertStatus(404)

      const deepLink = await client.get('/admin/queues/queue/system').loginAs(admin)
      deepLink.assertStatus(200)

      const api = await client
        .get('/admin/queues/api/queues')
        .qs({ activeQueue: 'system', status: 'latest', page: 1, jobsPerPage: 10 })
        .loginAs(admin)
      api.assertStatus(200)
      // The system queue, and one publish queue per network.
      assert.sameMembers(
        api.body().queues.map((queue: { name: string }) => queue.name),
        ['ai', 'system', 'publish-x', 'publish-linkedin', 'publish-facebook', 'publish-instagram']
      )
    })

    test('a non-admin gets 404 and a signed-out visitor is sent to sign-in', async ({
      client,
      assert,
    }) => {
      const admin = await createUser({ isAdmin: true })
      const editor = await createUser()
      await addMember(await createWorkspace(admin), editor, 'editor')

      for (const url of ['/admin/queues', '/admin/queues/api/queues', '/admin/system']) {
        ;(await client.get(url).loginAs(editor)).assertStatus(404)
        const anonymous = await client.get(url).redirects(0)
        anonymous.assertStatus(302)
        assert.match(anonymous.header('location') ?? '', /^\/login/)
      }
    })

    test('a bull-board mutation needs the XSRF token', async ({ client, assert }) => {
      const admin = await createUser({ isAdmin: true })
      const queue = await manager.getQueue('system')
      const secret = await new Tokens().secret()

      const forged = await client
        .put('/admin/queues/api/queues/system/pause')
        .loginAs(admin)
        .withSession({ 'csrf-secret': secret })
        .accept('json')
        .redirects(0)
      forged.assertStatus(403)
      assert.isFalse(await queue.isPaused())

      const wrongSecret = await client
        .put('/admin/queues/api/queues/system/pause')
        .loginAs(admin)
        .withSession({ 'csrf-secret': secret })
        .header('x-xsrf-token', xsrfFor(await new Tokens().secret()))
        .accept('json')
        .redirects(0)
      wrongSecret.assertStatus(403)
      assert.isFalse(await queue.isPaused())

      const paused = await client
        .put('/admin/queues/api/queues/system/pause')
        .loginAs(admin)
        .withSession({ 'csrf-secret': secret })
        .header('x-xsrf-token', xsrfFor(secret))
        .accept('json')
      paused.assertStatus(200)
      assert.isTrue(await queue.isPaused())

      await client
        .put('/admin/queues/api/queues/system/resume')
        .loginAs(admin)
        .withSession({ 'csrf-secret': secret })
        .header('x-xsrf-token', xsrfFor(secret))
        .accept('json')
        .then((response) => response.assertStatus(200))
      assert.isFalse(await queue.isPaused())
    })

    test('Admin → System shows the backend, worker heartbeat, counts and failed jobs', async ({
      client,
      assert,
    }) => {
      const admin = await createUser({ isAdmin: true })
      await db.from('worker_heartbeats').delete()
      const queue = await manager.getQueue('system')
      const worker = await manager.createWorker(
        'system',
        async () => {
          throw new Error('the database did not answer')
        },
        { concurrency: 1 }
      )
      await queue.add('heartbeat', {}, { jobId: 'failed-probe', attempts: 1 })
      await waitFor(async () => (await queue.getJobState('failed-probe')) === 'failed')
      await manager.closeWorker(worker)

      let page = await client.get('/admin/system').loginAs(admin)
      page.assertStatus(200)
      assert.include(page.text(), kind === 'redis' ? '>Redis<' : '>PostgreSQL<')
      // "starting" while this process is younger than staleAfterSeconds, "stale" after: the suite's length decides.
      assert.match(page.text(), /No heartbeat yet|No worker has run since Herald started/)
      assert.include(page.text(), 'href="/admin/queues"')
      assert.include(page.text(), 'the database did not answer')

      await db.table('worker_heartbeats').insert({
        worker_id: 'test-host:1:abc',
        hostname: 'test-host',
        pid: 1,
        queues: JSON.stringify(['system']),
        backend: kind,
        started_at: new Date(Date.now() - 60_000),
        last_seen_at: new Date(Date.now() - 12_000),
      })
      page = await client.get('/admin/system').loginAs(admin)
      assert.match(page.text(), /Workers alive, last run 1\d s ago/)

      await db.from('worker_heartbeats').update({ last_seen_at: new Date(Date.now() - 7 * 60_000) })
      page = await client.get('/admin/system').header('hx-request', 'true').loginAs(admin)
      assert.include(page.text(), 'No worker has run for 7 minutes')
      assert.notInclude(page.text(), '<html', 'htmx gets the fragment')
      await queue.obliterate({ force: true })
    })

    test('admins see a banner on every page when workers are stale', async ({ client, assert }) => {
      const admin = await createUser({ isAdmin: true })
      const staff = await createUser()
      await db.from('worker_heartbeats').delete()
      await db.table('worker_heartbeats').insert({
        worker_id: 'test-host:2:def',
        hostname: 'test-host',
        pid: 2,
        queues: JSON.stringify(['system']),
        backend: kind,
        started_at: new Date(Date.now() - 3_600_000),
        last_seen_at: new Date(Date.now() - 10 * 60_000),
      })
      workerHealth.enabled = true
      workerHealth.resetCache()
      try {
        const adminPage = await client.get('/admin/users').loginAs(admin)
        assert.include(adminPage.text(), 'id="workers-stale-banner"')
        assert.include(adminPage.text(), 'href="/admin/system"')
        const staffPage = await client.get('/').loginAs(staff)
        assert.notInclude(staffPage.text(), 'workers-stale-banner')

        await db.from('worker_heartbeats').update({ last_seen_at: new Date() })
        workerHealth.resetCache()
        const fresh = await client.get('/admin/users').loginAs(admin)
        assert.notInclude(fresh.text(), 'workers-stale-banner')
      } finally {
        workerHealth.enabled = false
        workerHealth.resetCache()
      }
    })
  })
}
