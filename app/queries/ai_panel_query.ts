import { inject } from '@adonisjs/core'
import aiConfig from '#config/ai'
import type User from '#models/user'
import type Generation from '#models/generation'
import type { WorkspaceAccess } from '#services/workspace_access'
import { AiProviders, type AiAvailability, type AiKind } from '#ai/providers'
import { ModelCatalog, type CatalogModel } from '#ai/model_catalog'
import { budgetStatus } from '#ai/budget'
import { describePricing, formatUsd } from '#ai/pricing'
import { imageGenerationView, type ImageGenerationView } from '#queries/image_generation_query'

/** A model option of a panel's select */
export interface ModelOption {
  value: string
  label: string
  selected: boolean
}

/** One panel's state: can it generate, the models offered, and why not when it cannot */
export interface PanelKindState {
  ready: boolean
  availability: AiAvailability
  models: ModelOption[]
  /** The model list could not be loaded (the field becomes a text input) */
  modelError?: string
  /** Value of the default model when the list is unavailable */
  fallbackModel: string
}

/** What partials/ai/text_panel.edge and partials/ai/image_panel.edge render */
export interface AiPanelState {
  /** id of the textarea text streams into (and image prompts are taken from) */
  textareaId: string
  /** Publisher plugin ids checked at first render */
  networks: string[]
  /** CSS selector of the network inputs whose checked values are the target networks */
  networksSelector: string
  text: PanelKindState
  image: PanelKindState & { aspectRatios: { value: string; label: string }[] }
  canGenerate: boolean
  isAdmin: boolean
  budget: {
    reached: boolean
    message?: string
    spent: string
    budget?: string
  }
  endpoints: { text: string; image: string; usage: string; settings: string }
  /** The image generation shown in the panel (after a request, or ?image= on the composer) */
  imageStatus?: ImageGenerationView
}

export interface AiPanelOptions {
  textareaId?: string
  networks?: string[]
  networksSelector?: string
  generation?: Generation
}

const DEFAULT_TEXT_MODEL = 'anthropic/claude-3.5-sonnet'
const DEFAULT_IMAGE_MODEL = 'google/gemini-2.5-flash-image'

/**
 * The state of the composer's AI panels for one person in one workspace:
 * whether text and images can be generated (provider configured, role,
 * budget), and the models with their prices (from the cached catalog).
 */
@inject()
export class AiPanelQuery {
  constructor(
    private providers: AiProviders,
    private catalog: ModelCatalog
  ) {}

  async execute(access: WorkspaceAccess, user: User, options: AiPanelOptions = {}) {
    const workspace = access.workspace
    const slug = workspace.slug
    const [text, image, budget] = await Promise.all([
      this.#kind('text', workspace.defaultTextModel ?? DEFAULT_TEXT_MODEL),
      this.#kind('image', workspace.defaultImageModel ?? DEFAULT_IMAGE_MODEL),
      budgetStatus(workspace),
    ])
    const state: AiPanelState = {
      textareaId: options.textareaId ?? 'composer-text',
      networks: options.networks ?? [],
      networksSelector: options.networksSelector ?? '[data-ai-network]:checked',
      text,
      image: { ...image, aspectRatios: aiConfig.aspectRatios },
      canGenerate: access.canEditContent,
      isAdmin: user.isAdmin,
      budget: {
        reached: budget.reached,
        spent: formatUsd(budget.spentUsd),
        ...(budget.budgetUsd === null ? {} : { budget: formatUsd(budget.budgetUsd) }),
        ...(budget.reached
          ? {
              message: `This workspace reached its AI budget of ${formatUsd(budget.budgetUsd)} for ${budget.window.label} (${formatUsd(budget.spentUsd)} spent). A workspace owner or an agency admin can raise it.`,
            }
          : {}),
      },
      endpoints: {
        text: `/w/${slug}/ai/text`,
        image: `/w/${slug}/ai/images`,
        usage: `/w/${slug}/usage`,
        settings: `/w/${slug}/settings`,
      },
      imageStatus: options.generation ? imageGenerationView(options.generation) : undefined,
    }
    return state
  }

  async #kind(kind: AiKind, preferred: string): Promise<PanelKindState> {
    const availability = await this.providers.availability(kind)
    if (!availability.ready) {
      return { ready: false, availability, models: [], fallbackModel: '' }
    }
    const listed = await this.catalog.listAll(availability.providers)
    const models = [...listed.models].sort((a, b) => a.name.localeCompare(b.name))
    const chosen =
      models.find((model) => model.id === preferred) ??
      models.find((model) => model.value === preferred) ??
      models[0]
    return {
      ready: true,
      availability,
      models: models.map((model) => option(model, kind, model === chosen)),
      ...(listed.error && models.length === 0 ? { modelError: listed.error } : {}),
      fallbackModel: `${availability.providers[0].plugin.id}:${preferred}`,
    }
  }
}

function option(model: CatalogModel, kind: AiKind, selected: boolean): ModelOption {
  return {
    value: model.value,
    label: `${model.name} · ${describePricing(model.pricing, kind)}`,
    selected,
  }
}
