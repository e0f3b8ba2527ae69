import aiConfig from '#config/ai'
import { defineJob } from '#queue/define_job'
import { SweepGenerations } from '#actions/ai/sweep_generations'

/** Every 10 minutes: AI generations interrupted mid-call are closed as failed */
export const sweepGenerationsJob = defineJob({
  name: 'sweep_generations',
  queue: 'system',
  repeat: { every: 600_000 },
  options: { attempts: 1 },
  handler: async (_payload, { logger }) => {
    const closed = await new SweepGenerations().execute(aiConfig.staleAfterMinutes)
    if (closed) logger.info({ closed }, 'closed interrupted AI generations')
    return { closed }
  },
})
