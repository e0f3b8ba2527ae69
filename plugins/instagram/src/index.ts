import { definePlugin, type PluginDefinition } from '@herald/plugin-sdk'
import { checkCredentials, fetchAccounts, fetchProfile, oauth, refresh } from './account.js'
import { limits, preview, validate } from './limits.js'
import { findPublished, publish } from './publish.js'
import type { InstagramSettings } from './settings.js'

export type { InstagramSettings } from './settings.js'

/** Builds the Instagram publisher (business accounts through Pages) plugin. */
export function createInstagramPlugin(): PluginDefinition<InstagramSettings> {
  return definePlugin<InstagramSettings>({
    id: 'instagram',
    kinds: {
      publisher: {
        contract: 'publisher/1',
        limits,
        preview,
        oauth,
        fetchProfile,
        fetchAccounts,
        refresh,
        validate,
        publish,
        findPublished,
        checkCredentials,
      },
    },
  })
}

export default createInstagramPlugin()
