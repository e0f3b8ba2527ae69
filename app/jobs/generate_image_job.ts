import app from '@adonisjs/core/services/app'
import { defineJob } from '#queue/define_job'

/**
 * One AI image, generated in a worker (the composer polls the ledger row for
 * progress). One attempt: the action retries a provider that is down itself
 * and always completes the ledger row, so BullMQ never needs to.
 */
export const generateImageJob = defineJob<{ generationId: number; aspectRatio: string }>({
  name: 'generate_image',
  queue: 'ai',
  options: { attempts: 1 },
  handler: async ({ generationId, aspectRatio }) => {
    const { RunImageGeneration } = await import('#actions/ai/run_image_generation')
    const action = await app.container.make(RunImageGeneration)
    await action.execute(generationId, aspectRatio)
  },
})
