import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type { JobType } from 'bullmq'
import queueConfig from '#config/queue'
import { defineJob, type JobDefinition, type JobHandler } from '#queue/define_job'
import { WorkerRunner } from '#queue/worker_runner'
import type { QueueManager } from '#queue/queue_manager'
import { useQueueManager } from '#queue/queues'
import { heartbeatJob } from '#jobs/heartbeat_job'
import { PruneJobs } from '#actions/system/prune_jobs'
import { SystemHealthQuery } from '#queries/system_health_query'
import {
  ChildWorker,
  createTestManager,
  destroyManager,
  printRedisNotice,
  queueBackends,
  testBackendSettings,
  uniqueQueue,
  waitFor,
} from '#tests/helpers/queue'

/**
 * The queue engine with the exact options Herald uses (retention, lock duration,
 * stalled interval), once per backend. Each test has its own queue and manager.
 */
const ALL_STATES = [
  'waiting',
  'active',
  'delayed',
  'failed',
  'paused',
  'prioritized',
  'completed',
] as JobType[]

function job<Payload>(
  queue: string,
  handler: JobHandler<Payload>,
  extra: Partial<JobDefinition<Payload>> = {}
) {
  return defineJob<Payload>({ name: 'probe', queue, handler, ...extra })
}

for (const kind of queueBackends()) {
  test.group(`Queue engine on ${kind}`, (group) => {
    let manager: QueueManager
    let runners: WorkerRunner[] = []

    async function work(jobs: JobDefinition<any>[], concurrency = 5) {
      const runner = new WorkerRunner(manager, {
        jobs,
        concurrency,
        lockDuration: queueConfig.lockDuration,
        stalledInterval: queueConfig.stalledInterval,
      })
      runners.push(runner)
      await runner.start()
      return runner
    }

    group.teardown(() => printRedisNotice())

    group.each.setup(() => {
      manager = createTestManager(kind)
      runners = []
      return async () => {
        await Promise.all(runners.map((runner) => runner.stop()))
        await destroyManager(manager)
      }
    })

    test('a dispatched job is processed once, then removed', async ({ assert }) => {
      const queue = uniqueQueue('dispatch')
      const seen: Array<{ n: number; id: string }> = []
      const double = job<{ n: number }>(queue, async ({ n }, { job: current }) => {
        seen.push({ n, id: String(current.id) })
        return n * 2
      })
      await work([double])

      const restore = useQueueManager(manager)
      const dispatched = await double.dispatch({ n: 21 }, { jobId: 'double-21' }).finally(restore)
      assert.equal(dispatched.id, 'double-21')
      await waitFor(() => seen.length === 1, { message: 'the job to run' })
      assert.deepEqual(seen, [{ n: 21, id: 'double-21' }])

      const q = await manager.getQueue(queue)
      await waitFor(async () => (await q.getJobState('double-21')) === 'unknown', {
        message: 'the completed job to be removed (removeOnComplete: true)',
      })
      const counts = await q.getJobCounts(...ALL_STATES)
      assert.equal(counts.completed, 0)
      assert.equal(counts.failed, 0)
    })

    test('delayed and scheduled jobs fire at their time, not before', async ({ assert }) => {
      const queue = uniqueQueue('delayed')
      const ranAt = new Map<string, number>()
      const probe = job<{ label: string }>(queue, async ({ label }) => {
        ranAt.set(label, Date.now())
      })
      await work([probe])

      const due = new Date(Date.now() + 1500)
      await manager.schedule(probe, due, { label: 'scheduled' }, { jobId: 'probe-scheduled' })
      const delayedFrom = Date.now()
      await manager.dispatch(probe, { label: 'delayed' }, { delay: 1000 })
      const q = await manager.getQueue(queue)
      assert.equal((await q.getJobCounts('delayed')).delayed, 2)

      await waitFor(() => ranAt.size === 2, { timeout: 6000, message: 'both delayed jobs' })
      const scheduledLateness = ranAt.get('scheduled')! - due.getTime()
      const delayedLateness = ranAt.get('delayed')! - (delayedFrom + 1000)
      assert.isAtLeast(scheduledLateness, -5, 'a scheduled job never runs early')
      assert.isAtMost(scheduledLateness, 1500)
      assert.isAtLeast(delayedLateness, -5)
      assert.isAtMost(delayedLateness, 1500)
    })

    test('the same job id twice makes one job; ids BullMQ refuses fail early', async ({
      assert,
    }) => {
      const queue = uniqueQueue('idempotent')
      const probe = job<{ v: number }>(queue, async () => {})
      const at = new Date(Date.now() + 60_000)

      const first = await manager.schedule(probe, at, { v: 1 }, { jobId: 'post-42' })
      const again = await manager.schedule(probe, at, { v: 2 }, { jobId: 'post-42' })
      const racing = await Promise.all(
        Array.from({ length: 10 }, (_, v) =>
          manager.dispatch(probe, { v: 10 + v }, { jobId: 'publish:42:1' })
        )
      )
      assert.equal(first.id, 'post-42')
      assert.equal(again.id, 'post-42')
      assert.isTrue(racing.every((added) => added.id === 'publish:42:1'))

      const q = await manager.getQueue(queue)
      const counts = await q.getJobCounts(...ALL_STATES)
      assert.equal(counts.delayed + counts.waiting + counts.paused, 2)
      assert.deepEqual((await q.getJob('post-42'))?.data, { v: 1 }, 'the first dispatch wins')

      await assert.rejects(() => manager.dispatch(probe, { v: 3 }, { jobId: '42' }), /all digits/)
      await assert.rejects(() => manager.dispatch(probe, { v: 3 }, { jobId: 'post:42' }), /a:b:c/)
    })

    test('a completed job frees its id: dispatching it again runs it again', async ({ assert }) => {
      const queue = uniqueQueue('rerun')
      let runs = 0
      const probe = job(queue, async () => {
        runs++
      })
      await work([probe])
      await manager.dispatch(probe, {}, { jobId: 'refresh-7' })
      await waitFor(() => runs === 1)
      const q = await manager.getQueue(queue)
      await waitFor(async () => (await q.getJobState('refresh-7')) === 'unknown')
      await manager.dispatch(probe, {}, { jobId: 'refresh-7' })
      await waitFor(() => runs === 2)
      assert.equal(runs, 2)
    })

    test('a failing job is retried with exponential backoff, then kept as failed', async ({
      assert,
    }) => {
      const queue = uniqueQueue('retry')
      const attempts: Record<string, number[]> = { flaky: [], broken: [] }
      const probe = job<{ kind: 'flaky' | 'broken' }>(
        queue,
        async ({ kind: which }, { job: current }) => {
          attempts[which].push(Date.now())
          if (which === 'broken' || current.attemptsMade < 2) {
            throw new Error(`${which} failure on attempt ${current.attemptsMade + 1}`)
          }
          return 'ok'
        },
        { options: { attempts: 3, backoff: { type: 'exponential', delay: 200 } } }
      )
      await work([probe])
      await manager.dispatch(probe, { kind: 'flaky' }, { jobId: 'flaky-1' })
      const broken = await manager.dispatch(probe, { kind: 'broken' }, { jobId: 'broken-1' })

      const q = await manager.getQueue(queue)
      await waitFor(async () => (await q.getJobState('broken-1')) === 'failed', {
        timeout: 8000,
        message: 'the broken job to fail',
      })
      await waitFor(() => attempts.flaky.length === 3, { timeout: 8000 })
      await waitFor(async () => (await q.getJobState('flaky-1')) === 'unknown', {
        message: 'the flaky job to complete on its third attempt and be removed',
      })

      const [a1, a2, a3] = attempts.flaky
      assert.isAtLeast(a2 - a1, 190, 'first backoff is 200 ms')
      assert.isAtLeast(a3 - a2, 390, 'second backoff is 400 ms')

      const failed = (await q.getJob(broken.id!))!
      assert.equal(failed.attemptsMade, 3)
      assert.equal(failed.failedReason, 'broken failure on attempt 3')

      const health = await new SystemHealthQuery(manager, [queue]).execute()
      assert.equal(health.queues[0].failed, 1)
      assert.deepInclude(
        health.failed.map((entry) => ({
          name: entry.name,
          id: entry.id,
          reason: entry.failedReason,
        })),
        { name: 'probe', id: 'broken-1', reason: 'broken failure on attempt 3' }
      )
      assert.isNotNull(health.failed[0].finishedOn)

      /** prune_jobs: failed jobs older than the retention go (here: everything) */
      const report = await new PruneJobs().execute(manager, [queue], 0)
      assert.equal(report.failed, 1)
      assert.equal((await q.getJobCounts('failed')).failed, 0)
    })

    test('a flow runs its child jobs before the parent', async ({ assert }) => {
      const queue = uniqueQueue('flow')
      const order: string[] = []
      const step = job<{ label: string }>(queue, async ({ label }, { job: current }) => {
        order.push(label)
        if (label === 'parent') return Object.values(await current.getChildrenValues())
        return `${label} done`
      })
      await work([step])
      /** Opened here so the cleanup obliterates it */
      await manager.getQueue(queue)
      const flows = await manager.flowProducer()
      await flows.add({
        name: 'probe',
        queueName: queue,
        data: { label: 'parent' },
        children: [
          { name: 'probe', queueName: queue, data: { label: 'child' } },
          { name: 'probe', queueName: queue, data: { label: 'child' } },
        ],
      })
      await waitFor(() => order.length === 3, { message: 'the flow to finish' })
      assert.deepEqual(order, ['child', 'child', 'parent'])
    })

    test('a paused queue still reports its waiting jobs', async ({ assert }) => {
      const queue = uniqueQueue('paused')
      const probe = job(queue, async () => {})
      const q = await manager.getQueue(queue)
      await q.pause()
      await manager.dispatch(probe, {})
      await manager.dispatch(probe, {})
      const health = await new SystemHealthQuery(manager, [queue]).execute()
      const row = health.queues[0]
      assert.isTrue(row.isPaused)
      assert.equal(row.waiting + row.paused + row.prioritized, 2)
    })

    test('the heartbeat job records its worker, and the health query says workers are alive', async ({
      assert,
    }) => {
      const queue = uniqueQueue('system')
      const beat = defineJob({ ...heartbeatJob, queue })
      const runner = await work([beat])
      try {
        const row = await waitFor(
          () => db.from('worker_heartbeats').where('worker_id', runner.identity.id).first(),
          { timeout: 15_000, message: 'the first heartbeat (runAtStart)' }
        )
        assert.equal(row.backend, kind)
        assert.deepEqual(row.queues, [queue])
        // Ticked by the runner (one job per slot), not by a BullMQ job scheduler.
        assert.deepEqual(
          runner.repeating.map((definition) => [definition.name, definition.repeat!.every]),
          [['heartbeat', queueConfig.heartbeatEverySeconds * 1000]]
        )
        assert.deepEqual(await (await manager.getQueue(queue)).getJobSchedulers(), [])

        const health = await new SystemHealthQuery(manager, [queue]).execute()
        assert.equal(health.backend.kind, kind)
        assert.match(
          health.backend.description!,
          kind === 'redis' ? /^Redis/ : /^PostgreSQL, database "\w+_queue"/
        )
        assert.equal(health.heartbeat.state, 'alive')
        assert.include(
          health.heartbeat.workers.map((worker) => worker.workerId),
          runner.identity.id
        )
      } finally {
        await db.from('worker_heartbeats').where('worker_id', runner.identity.id).delete()
      }
    })

    test('a repeatable job runs once per slot however many processes tick it, and outlives one of them', async ({
      assert,
    }) => {
      const queue = uniqueQueue('ticks')
      const runs: string[] = []
      const tick = job(
        queue,
        async (_payload, { job: current }) => {
          runs.push(String(current.id))
        },
        { name: 'tick', repeat: { every: 1000 } }
      )
      const [first] = await Promise.all([work([tick], 2), work([tick], 2)])
      await waitFor(() => runs.length >= 3, { timeout: 10_000, message: 'three ticks' })
      // One of the two processes goes away: the other one keeps the ticks coming.
      await first.stop()
      const before = runs.length
      await waitFor(() => runs.length >= before + 2, { timeout: 10_000, message: 'two more ticks' })

      assert.lengthOf(new Set(runs), runs.length, `a slot ran twice: ${runs.join(', ')}`)
      for (const id of runs) assert.match(id, /^tick-\d+$/)
    }).timeout(30_000)

    test('SIGTERM drains: the active job completes, no new job starts, the worker exits 0', async ({
      assert,
    }) => {
      const queue = uniqueQueue('drain')
      const sleepy = defineJob<{ ms: number }>({ name: 'sleepy', queue, handler: async () => {} })
      const child = new ChildWorker({
        settings: testBackendSettings(kind),
        queue,
        lockDuration: queueConfig.lockDuration,
        stalledInterval: queueConfig.stalledInterval,
      })
      await child.waitForLine(/^READY/)
      const active = await manager.dispatch(sleepy, { ms: 2000 }, { jobId: 'drain-active' })
      await child.waitForLine(/^STARTED drain-active/)

      child.kill('SIGTERM')
      await child.waitForLine(/^STOPPING/)
      const later = await manager.dispatch(sleepy, { ms: 10 }, { jobId: 'drain-later' })
      const exit = await child.exited

      assert.equal(exit.code, 0, child.lines.join('\n'))
      const done = child.lines.indexOf(`DONE ${active.id}`)
      assert.isAbove(done, -1, 'the active job finished')
      assert.isBelow(done, child.lines.indexOf('CLOSED'), 'before the worker closed')
      assert.notInclude(child.lines, `STARTED ${later.id}`)

      const q = await manager.getQueue(queue)
      assert.equal(await q.getJobState('drain-active'), 'unknown', 'completed and removed')
      assert.equal(await q.getJobState('drain-later'), 'waiting')
    }).timeout(45_000)

    test('a SIGKILLed worker’s job runs again on another worker within 20 s', async ({
      assert,
    }) => {
      const queue = uniqueQueue('stalled')
      const child = new ChildWorker({
        settings: testBackendSettings(kind),
        queue,
        lockDuration: queueConfig.lockDuration,
        stalledInterval: queueConfig.stalledInterval,
      })
      await child.waitForLine(/^READY/)
      let rescuedAt = 0
      let rescuedRuns = 0
      const sleepy = defineJob<{ ms: number }>({
        name: 'sleepy',
        queue,
        options: { attempts: 1 },
        handler: async () => {
          rescuedAt ||= Date.now()
          rescuedRuns++
          return 'rescued'
        },
      })
      await manager.dispatch(sleepy, { ms: 120_000 }, { jobId: 'long-publish' })
      await child.waitForLine(/^STARTED long-publish/)

      child.kill('SIGKILL')
      const killedAt = Date.now()
      const exit = await child.exited
      assert.equal(exit.signal, 'SIGKILL')
      await work([sleepy])

      await waitFor(() => rescuedAt, {
        timeout: 25_000,
        interval: 100,
        message: 'the stalled job to run again',
      })
      const recoveredInMs = rescuedAt - killedAt
      process.stdout.write(`    ${kind}: SIGKILLed job ran again after ${recoveredInMs} ms\n`)
      assert.isBelow(recoveredInMs, 20_000)
      assert.equal(rescuedRuns, 1)
      const q = await manager.getQueue(queue)
      await waitFor(async () => (await q.getJobState('long-publish')) === 'unknown', {
        message: 'the rescued job to complete',
      })
    }).timeout(60_000)

    test('20,000 no-op jobs with Herald’s retention: all run, none failed, nothing kept', async ({
      assert,
    }) => {
      const queue = uniqueQueue('bulk')
      let processed = 0
      const noop = job(
        queue,
        async () => {
          processed++
        },
        { options: { attempts: 1 } }
      )
      await work([noop], 10)
      const q = await manager.getQueue(queue)

      const started = Date.now()
      for (let batch = 0; batch < 4; batch++) {
        await q.addBulk(
          Array.from({ length: 5000 }, (_, index) => ({
            name: 'probe',
            data: { n: batch * 5000 + index },
            opts: { attempts: 1 },
          }))
        )
      }
      await waitFor(() => processed >= 20_000, {
        timeout: 120_000,
        interval: 100,
        message: '20,000 jobs',
      })
      const seconds = (Date.now() - started) / 1000
      process.stdout.write(
        `    ${kind}: 20,000 jobs in ${seconds.toFixed(1)} s (${Math.round(20_000 / seconds)}/s)\n`
      )

      const counts = await waitFor(async () => {
        const current = await q.getJobCounts(...ALL_STATES)
        return current.active === 0 && current.waiting === 0 ? current : null
      })
      assert.equal(processed, 20_000)
      assert.equal(
        counts.failed,
        0,
        'no job marked failed (PG retention deadlocks would show here)'
      )
      assert.equal(counts.completed, 0, 'completed jobs are removed')
    }).timeout(150_000)
  })
}
