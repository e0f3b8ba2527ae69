import { definePlugin, type PluginDefinition } from '@herald/plugin-sdk'
import { checkCredentials, fetchProfile, oauth, refresh, revoke } from './account.js'
import { limits, preview, validate } from './limits.js'
import { publish } from './publish.js'
import type { LinkedInSettings } from './settings.js'

export type { LinkedInSettings } from './settings.js'
export { toLittleText } from './little.js'

/**
 * Builds the LinkedIn publisher plugin. There is no `findPublished`: reading a member's own posts needs the
 * restricted `r_member_social` permission, which self-serve apps cannot get, so an unknown outcome is
 * resolved by a person (the post detail offers "mark published" and "publish again").
 */
export function createLinkedInPlugin(): PluginDefinition<LinkedInSettings> {
  return definePlugin<LinkedInSettings>({
    id: 'linkedin',
    kinds: {
      publisher: {
        contract: 'publisher/1',
        limits,
        preview,
        oauth,
        fetchProfile,
        refresh,
        validate,
        publish,
        revoke,
        checkCredentials,
      },
    },
  })
}

export default createLinkedInPlugin()
