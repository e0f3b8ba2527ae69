import type { DraftMedia, PublisherLimits } from '@herald/plugin-sdk'
import { planMedia } from '#publishing/media_plan'
import type { ContentPart } from '#publishing/content'
import type MediaAsset from '#models/media_asset'
import type { Publishers } from '#plugin_host/publishers'

export interface TargetDraft {
  accountId: number
  pluginId: string
  parts: ContentPart[]
}

/**
 * Checks each target's content with its publisher's `validate` (pure, no I/O):
 * problems keyed `targets.<accountId>`, so the composer shows each beside the
 * account it concerns. Parts of a thread are named ("Post 2 of the thread: ...").
 */
export function validateTargets(
  publishers: Publishers,
  drafts: TargetDraft[],
  media: Map<number, MediaAsset>
): Record<string, string[]> {
  const errors: Record<string, string[]> = {}
  for (const draft of drafts) {
    const key = `targets.${draft.accountId}`
    const entry = publishers.find(draft.pluginId)
    if (!entry) {
      errors[key] = [
        `The ${draft.pluginId} plugin is not available, so this account cannot publish.`,
      ]
      continue
    }
    const issues = entry.publisher.validate({
      parts: draft.parts.map((part) => ({
        text: part.text,
        media: part.mediaIds.map((id) => draftMedia(media.get(id), entry.publisher.limits)),
      })),
    })
    if (issues.length === 0) continue
    errors[key] = issues.map((issue) => {
      const index = Number(issue.field.split('.')[1])
      const label =
        draft.parts.length > 1 && Number.isInteger(index) ? `Post ${index + 1} of the thread: ` : ''
      return `${label}${issue.message}`
    })
  }
  return errors
}

/**
 * An asset as the publisher will receive it: the host converts a type the
 * network refuses and crops into its aspect range (§8.12), so `validate` sees
 * the planned type and size, not the original's. Whether the copy can really
 * be made is a pre-flight check.
 */
function draftMedia(asset: MediaAsset | undefined, limits: PublisherLimits): DraftMedia {
  if (!asset) return { mime: 'application/octet-stream' }
  const plan = planMedia({ mime: asset.mime, width: asset.width, height: asset.height }, limits)
  return {
    mime: plan.mime,
    // The size of a copy is unknown until it is made: the original's is the estimate.
    size: asset.bytes,
    width: plan.width ?? undefined,
    height: plan.height ?? undefined,
    altText: asset.altText ?? undefined,
  }
}
