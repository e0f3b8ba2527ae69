import { DateTime } from 'luxon'
import type { Infer } from '@vinejs/vine/types'
import type { ContentPart } from '#publishing/content'
import type { composePostValidator } from '#validators/post'
import type Post from '#models/post'
import type PostTarget from '#models/post_target'

type ComposeForm = Infer<typeof composePostValidator>

/**
 * What the composer holds at one moment, whether it comes from the form being
 * typed or from a saved post: the base content, the chosen accounts, the
 * accounts customised with their own parts, and the time as typed in the
 * workspace's timezone.
 */
export interface ComposerDraft {
  baseText: string
  mediaIds: number[]
  accountIds: number[]
  /** Accounts with their own variant; the others publish the base content */
  variants: Map<number, ContentPart[]>
  scheduleDate?: string
  scheduleTime?: string
}

/** The draft of the submitted form, with a thread part added or removed when asked */
export function draftFromForm(form: ComposeForm): ComposerDraft {
  const baseText = form.baseText ?? ''
  const accountIds = [...new Set(form.accountIds ?? [])]
  const variants = new Map<number, ContentPart[]>()
  for (const [key, variant] of Object.entries(form.variants ?? {})) {
    const accountId = Number(key.replace(/^a/, ''))
    if (!variant.customize || !accountIds.includes(accountId)) continue
    const parts = (variant.parts ?? []).map((part) => ({
      text: part.text ?? '',
      mediaIds: part.mediaIds ?? [],
    }))
    // Customising starts from the base content.
    variants.set(
      accountId,
      parts.length > 0 ? parts : [{ text: baseText, mediaIds: form.mediaIds ?? [] }]
    )
  }
  if (form.addPart !== undefined && variants.has(form.addPart)) {
    variants.get(form.addPart)!.push({ text: '', mediaIds: [] })
  } else if (form.addPart !== undefined && accountIds.includes(form.addPart)) {
    variants.set(form.addPart, [
      { text: baseText, mediaIds: form.mediaIds ?? [] },
      { text: '', mediaIds: [] },
    ])
  }
  if (form.removePart) {
    const [accountId, index] = form.removePart.split(':').map(Number)
    const parts = variants.get(accountId)
    if (parts && parts.length > 1) parts.splice(index, 1)
  }
  return {
    baseText,
    mediaIds: [...new Set(form.mediaIds ?? [])],
    accountIds,
    variants,
    scheduleDate: form.scheduleDate,
    scheduleTime: form.scheduleTime,
  }
}

/** The draft of a saved post, its time shown in the workspace's timezone */
export function draftFromPost(
  post: Post,
  targets: PostTarget[],
  mediaIds: number[],
  zone: string
): ComposerDraft {
  const variants = new Map<number, ContentPart[]>()
  for (const target of targets) {
    if (target.overrideParts && target.overrideParts.length > 0) {
      variants.set(target.socialAccountId, target.overrideParts)
    }
  }
  const at = post.scheduledAt?.setZone(zone)
  return {
    baseText: post.baseText,
    mediaIds,
    accountIds: targets.map((target) => target.socialAccountId),
    variants,
    scheduleDate: at?.toFormat('yyyy-MM-dd'),
    scheduleTime: at?.toFormat('HH:mm'),
  }
}

/** A new post's draft: nothing chosen, the time prefilled with the next full hour plus one */
export function emptyDraft(zone: string): ComposerDraft {
  const at = DateTime.now().setZone(zone).startOf('hour').plus({ hours: 2 })
  return {
    baseText: '',
    mediaIds: [],
    accountIds: [],
    variants: new Map(),
    scheduleDate: at.toFormat('yyyy-MM-dd'),
    scheduleTime: at.toFormat('HH:mm'),
  }
}
