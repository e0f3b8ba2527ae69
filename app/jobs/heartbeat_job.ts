import { defineJob } from '#queue/define_job'
import { RecordWorkerHeartbeat } from '#actions/system/record_worker_heartbeat'
import queueConfig from '#config/queue'

/**
 * Proves the whole path works (scheduler -> queue -> a worker -> database): its
 * last run per worker is what Admin → System and the admins' banner read.
 */
export const heartbeatJob = defineJob({
  name: 'heartbeat',
  queue: 'system',
  repeat: { every: queueConfig.heartbeatEverySeconds * 1000 },
  runAtStart: true,
  options: { attempts: 1 },
  handler: async (_payload, { worker, queues }) => {
    await new RecordWorkerHeartbeat().execute(worker, queues.kind)
  },
})
