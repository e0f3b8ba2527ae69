import app from '@adonisjs/core/services/app'
import { defineJob } from '#queue/define_job'

/**
 * Looks for the post of a target whose outcome is unknown (findPublished), a
 * few times with growing delays (config/publishing.ts resolveUnknownDelaysMs).
 */
export const resolveUnknownJob = defineJob<{ targetId: number; attemptNo: number; round: number }>({
  name: 'resolve_unknown',
  queue: 'system',
  options: { attempts: 1 },
  handler: async (payload) => {
    const { ResolveUnknownTarget } = await import('#actions/publishing/resolve_unknown_target')
    const action = await app.container.make(ResolveUnknownTarget)
    return action.execute(payload)
  },
})
