import type { DraftMedia } from '@herald/plugin-sdk'
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
        media: part.mediaIds.map((id) => draftMedia(media.get(id))),
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

function draftMedia(asset: MediaAsset | undefined): DraftMedia {
  if (!asset) return { mime: 'application/octet-stream' }
  return {
    mime: asset.mime,
    size: asset.bytes,
    width: asset.width ?? undefined,
    height: asset.height ?? undefined,
    altText: asset.altText ?? undefined,
  }
}
