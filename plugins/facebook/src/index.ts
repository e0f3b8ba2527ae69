import { definePlugin, type PluginDefinition } from '@herald/plugin-sdk'
import { checkCredentials, fetchAccounts, fetchProfile, oauth, refresh } from './account.js'
import { limits, preview, validate } from './limits.js'
import { findPublished, publish } from './publish.js'
import type { FacebookSettings } from './settings.js'

export type { FacebookSettings } from './settings.js'

/** Builds the Facebook Pages publisher plugin. */
export function createFacebookPlugin(): PluginDefinition<FacebookSettings> {
  return definePlugin<FacebookSettings>({
    id: 'facebook',
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

export default createFacebookPlugin()
