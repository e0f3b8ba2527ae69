import { DateTime } from 'luxon'
import NotFoundException from '#exceptions/not_found_exception'
import Generation from '#models/generation'
import type Workspace from '#models/workspace'
import { formatUsd } from '#ai/pricing'

/** An image generation as the image panel shows it */
export interface ImageGenerationView {
  generation: Generation
  running: boolean
  /** Seconds since it started, or its latency once finished */
  seconds: number
  cost: string
}

/**
 * An image generation of the workspace (another workspace's id is a 404),
 * with its media asset once done.
 */
export class ImageGenerationQuery {
  async execute(workspace: Workspace, id: string | number): Promise<ImageGenerationView> {
    if (!/^\d{1,15}$/.test(String(id))) throw new NotFoundException()
    const generation = await Generation.query()
      .where('workspace_id', workspace.id)
      .where('kind', 'image')
      .where('id', String(id))
      .preload('mediaAsset')
      .first()
    if (!generation) throw new NotFoundException()
    return imageGenerationView(generation)
  }
}

/** How far a generation is (its media asset preloaded when it is done) */
export function imageGenerationView(generation: Generation): ImageGenerationView {
  const running = generation.status === 'running'
  const seconds = running
    ? Math.max(0, Math.round(DateTime.now().diff(generation.createdAt).as('seconds')))
    : Math.round((generation.latencyMs ?? 0) / 1000)
  return { generation, running, seconds, cost: formatUsd(generation.costUsd) }
}
