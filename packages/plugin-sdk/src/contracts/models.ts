/** Prices of a model in US dollars. */
export interface ModelPricing {
  /** Price per million input tokens. */
  inputPerMTokUsd: number
  /** Price per million output tokens. */
  outputPerMTokUsd: number
  /** Price per generated image, for image models. */
  perImageUsd?: number
}

/** A model a provider offers. */
export interface ModelInfo {
  /** Provider model id, passed back as `model` in requests. */
  id: string
  /** Name shown in the UI. */
  name: string
  /** Prices, used for cost display and when a response reports no cost. */
  pricing: ModelPricing
  /** Context window in tokens (text models). */
  contextLength?: number
}
