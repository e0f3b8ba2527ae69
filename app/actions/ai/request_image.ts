import { inject } from '@adonisjs/core'
import type Generation from '#models/generation'
import type User from '#models/user'
import type Workspace from '#models/workspace'
import { AiProviders } from '#ai/providers'
import { ModelCatalog, parseModelValue } from '#ai/model_catalog'
import { AiRequestError } from '#ai/request_error'
import { StartGeneration } from '#actions/ai/start_generation'
import { FinishGeneration } from '#actions/ai/finish_generation'
import { generateImageJob } from '#jobs/generate_image_job'

export interface ImageRequestInput {
  workspace: Workspace
  user: User
  prompt: string
  /** `<pluginId>:<modelId>` */
  model: string
  aspectRatio: string
}

/** Job id of a generation's image job (deterministic: a repeated dispatch does nothing) */
export function imageJobId(generationId: number | bigint | string) {
  return `image-generation-${generationId}`
}

/**
 * Asks for an AI image: checks the provider, model and budget, opens the
 * ledger row (`running`) and queues the generate_image job, whose progress
 * the image panel polls. Throws AiRequestError or BudgetReachedError.
 */
@inject()
export class RequestImage {
  constructor(
    private providers: AiProviders,
    private catalog: ModelCatalog
  ) {}

  async execute(input: ImageRequestInput): Promise<Generation> {
    const availability = await this.providers.availability('image')
    if (!availability.ready) {
      throw new AiRequestError(
        'AI image generation is not set up: an admin adds the OpenRouter API key under Admin > Plugins > OpenRouter (or sets OPENROUTER_API_KEY).',
        undefined,
        409
      )
    }
    const parsed = parseModelValue(input.model)
    const entry = parsed && this.providers.find('image', parsed.pluginId)
    if (
      !parsed ||
      !entry ||
      !availability.providers.some((ready) => ready.plugin.id === entry.plugin.id)
    ) {
      throw new AiRequestError('Choose an image model from the list.', 'model')
    }
    const listed = await this.catalog.list(entry)
    if (!listed.error && !listed.models.some((model) => model.id === parsed.modelId)) {
      throw new AiRequestError(
        `${entry.name} does not offer the image model "${parsed.modelId}". Choose one from the list.`,
        'model'
      )
    }
    const generation = await new StartGeneration().execute({
      workspace: input.workspace,
      userId: input.user.id,
      kind: 'image',
      purpose: 'image',
      pluginId: entry.plugin.id,
      model: parsed.modelId,
      prompt: input.prompt,
    })
    try {
      await generateImageJob.dispatch(
        { generationId: Number(generation.id), aspectRatio: input.aspectRatio },
        { jobId: imageJobId(generation.id) }
      )
    } catch (error) {
      await new FinishGeneration().execute(generation, {
        status: 'failed',
        error:
          'The job queue could not be reached, so the image was not started. Try again in a minute.',
      })
      throw error
    }
    return generation
  }
}
