import {
  META_DEFAULTS,
  type MetaNetwork,
  type MetaResolvedSettings,
  type MetaSettings,
  permanent,
  resolveMetaSettings,
} from '@herald/meta-graph'

/** The plugin's settings as the host resolves them from the manifest (env, admin UI or defaults). */
export type FacebookSettings = MetaSettings

/** Public defaults, the manifest's. */
export const DEFAULTS = META_DEFAULTS

/** Settings checked and normalised for one call. */
export type ResolvedSettings = MetaResolvedSettings

/** Facebook's name, env prefix and error rules for the shared Graph client. */
export const FACEBOOK: MetaNetwork = {
  network: 'Facebook',
  envPrefix: 'FACEBOOK',
  lateRules(problem, { network, because, words }) {
    if (problem.code === 324 || problem.subcode === 1366046) {
      return permanent(
        `${network} could not use the photo${because ? ` (${words})` : ''}: it must be a JPEG or PNG under 4 MB at a URL that is publicly reachable from the internet.`,
        problem,
        'invalid_photo'
      )
    }
    return undefined
  },
}

/** Checks the settings before any request; wrong values are the operator's to fix. */
export function resolveSettings(settings: Readonly<FacebookSettings>): ResolvedSettings {
  return resolveMetaSettings(settings, FACEBOOK)
}
