import { definePlugin, type PluginDefinition } from '@herald/plugin-sdk'
import { checkCredentials, fetchProfile, oauth, refresh, revoke } from './account.js'
import { limits, preview, validate } from './limits.js'
import { DEFAULT_UPLOAD_OPTIONS, type UploadOptions } from './media.js'
import { findPublished, publish } from './publish.js'
import type { XSettings } from './settings.js'

export type { XSettings } from './settings.js'
export { weightedLength } from './limits.js'

/** Options of {@link createXPlugin}; the defaults suit production, tests shrink the upload timings. */
export type XPluginOptions = Partial<UploadOptions>

/** Builds the X publisher plugin. */
export function createXPlugin(options: XPluginOptions = {}): PluginDefinition<XSettings> {
  const upload: UploadOptions = { ...DEFAULT_UPLOAD_OPTIONS, ...options }
  return definePlugin<XSettings>({
    id: 'x',
    kinds: {
      publisher: {
        contract: 'publisher/1',
        limits,
        preview,
        oauth,
        fetchProfile,
        refresh,
        validate,
        publish: (ctx, input) => publish(ctx, input, upload),
        findPublished,
        revoke,
        checkCredentials,
      },
    },
  })
}

export default createXPlugin()
