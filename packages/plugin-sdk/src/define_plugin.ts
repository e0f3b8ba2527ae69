import type { AiImageProvider } from './contracts/ai_image.js'
import type { AiTextProvider } from './contracts/ai_text.js'
import type { MediaStorage } from './contracts/media_storage.js'
import type { Publisher } from './contracts/publisher.js'
import type { PluginSettings } from './settings.js'

/** The implementation of each kind, keyed by kind. */
export interface PluginKinds<S = PluginSettings> {
  /** AI text provider. */
  'ai-text'?: AiTextProvider<S>
  /** AI image provider. */
  'ai-image'?: AiImageProvider<S>
  /** Social network publisher. */
  'publisher'?: Publisher<S>
  /** Media storage backend. */
  'media-storage'?: MediaStorage<S>
}

/** A plugin's code entry: the default export of its module. */
export interface PluginDefinition<S = PluginSettings> {
  /** Must equal the manifest id when given. */
  id?: string
  /** The implementations; must match the manifest's `kinds` exactly. */
  kinds: PluginKinds<S>
}

/**
 * Declares a plugin. Returns its argument; exists for type checking and editor help.
 *
 * @example
 * type Settings = { apiKey: string; baseUrl: string }
 * export default definePlugin<Settings>({ kinds: { 'ai-text': { contract: 'ai-text/1', ... } } })
 */
export function definePlugin<S = PluginSettings>(
  definition: PluginDefinition<S>
): PluginDefinition<S> {
  return definition
}
