import { DateTime } from 'luxon'
import Generation from '#models/generation'
import type Workspace from '#models/workspace'
import { assertWithinBudget } from '#ai/budget'

export interface StartGenerationInput {
  workspace: Workspace
  userId: number | null
  kind: 'text' | 'image'
  /** generate, regenerate, shorten_x, adapt_linkedin, image */
  purpose: string
  pluginId: string
  model: string
  /** What was sent (the request and, for rewrites, the post), kept even when the call fails */
  prompt: string
}

/**
 * Opens the ledger row of an AI call before the call starts (status
 * `running`), once the month's budget allows it; FinishGeneration completes
 * it, so neither spend nor failures are ever lost. Throws BudgetReachedError.
 */
export class StartGeneration {
  async execute(input: StartGenerationInput): Promise<Generation> {
    await assertWithinBudget(input.workspace)
    return Generation.create({
      workspaceId: input.workspace.id,
      userId: input.userId,
      kind: input.kind,
      purpose: input.purpose,
      pluginId: input.pluginId,
      model: input.model,
      prompt: input.prompt,
      status: 'running',
      createdAt: DateTime.now(),
    })
  }
}
