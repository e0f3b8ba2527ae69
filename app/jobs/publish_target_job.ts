import app from '@adonisjs/core/services/app'
import { defineJob, type JobDefinition } from '#queue/define_job'
import { publishQueueName } from '#publishing/job_ids'

export interface PublishTargetPayload {
  targetId: number
  /** The target's job_seq when the job was added; a newer one makes this job a no-op */
  seq: number
}

const definitions = new Map<string, JobDefinition<PublishTargetPayload>>()

/**
 * Publishes one post target (app/actions/publishing/publish_target.ts), on the
 * queue of its network. BullMQ never retries it (attempts: 1): retries are new
 * jobs the pipeline adds with its own backoff, after recording what happened,
 * because a blind retry of a publish can post twice.
 */
export function publishTargetJob(pluginId: string): JobDefinition<PublishTargetPayload> {
  let definition = definitions.get(pluginId)
  if (!definition) {
    definition = defineJob<PublishTargetPayload>({
      name: 'publish_target',
      queue: publishQueueName(pluginId),
      options: { attempts: 1 },
      handler: async (payload, { worker }) => {
        const { PublishTarget } = await import('#actions/publishing/publish_target')
        const action = await app.container.make(PublishTarget)
        return action.execute(payload, worker.id)
      },
    })
    definitions.set(pluginId, definition)
  }
  return definition
}
