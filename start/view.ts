/*
|--------------------------------------------------------------------------
| Edge globals
|--------------------------------------------------------------------------
|
| Helpers templates call. Keep them pure: no database access here (two
| exceptions, cached: workersStale and workspaceAttention, at the end).
|
*/
import edge, { edgeGlobals } from 'edge.js'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import type Workspace from '#models/workspace'
import type { AttentionItem } from '#queries/workspace_attention_query'
import { workerHealth } from '#queue/worker_health'
import { stringifyAttributes } from '#services/html_attributes'
import { TARGET_STATUS_LABELS, type TargetStatus } from '#publishing/target_status'
import { POST_STATUS_LABELS, type PostStatus } from '#publishing/post_status'

/**
 * Escaped HTML attributes from an object or a component's props:
 * `<input {{ attrs($props.merge({ value })) }}>`. Never use `.toAttrs()`.
 */
edge.global('attrs', (values: Record<string, unknown> | { all(): Record<string, unknown> }) => {
  const plain =
    typeof values.all === 'function' ? (values.all as () => Record<string, unknown>)() : values
  return edgeGlobals.html.safe(stringifyAttributes(plain as Record<string, unknown>))
})

export interface SidebarSection {
  key: string
  label: string
  icon: string
  href: string
}

/** The sections of a workspace, in the sidebar's order */
edge.global('workspaceSections', (workspace: Workspace): SidebarSection[] => {
  const base = `/w/${workspace.slug}`
  return [
    { key: 'dashboard', label: 'Dashboard', icon: 'dashboard', href: base },
    { key: 'compose', label: 'Compose', icon: 'compose', href: `${base}/compose` },
    { key: 'calendar', label: 'Calendar', icon: 'calendar', href: `${base}/calendar` },
    { key: 'posts', label: 'Posts', icon: 'posts', href: `${base}/posts` },
    { key: 'media', label: 'Media', icon: 'media', href: `${base}/media` },
    { key: 'accounts', label: 'Accounts', icon: 'accounts', href: `${base}/accounts` },
    { key: 'usage', label: 'AI usage', icon: 'usage', href: `${base}/usage` },
    { key: 'members', label: 'Members', icon: 'members', href: `${base}/members` },
    { key: 'settings', label: 'Settings', icon: 'settings', href: `${base}/settings` },
  ]
})

/** A date-time shown in a timezone, e.g. "Tue 24 Nov 2026, 09:00" */
edge.global('formatDateTime', (value: DateTime | Date | null | undefined, zone = 'UTC') => {
  if (!value) return ''
  const dateTime = value instanceof Date ? DateTime.fromJSDate(value) : value
  return dateTime.setZone(zone).toFormat('ccc d LLL yyyy, HH:mm')
})

/** "12 minutes ago" style relative time */
edge.global('relativeTime', (value: DateTime | null | undefined) => {
  return value ? (value.toRelative() ?? '') : ''
})

/** Role names as people say them */
edge.global('roleLabel', (role: string) => {
  return { owner: 'Owner', editor: 'Editor', approver: 'Approver', viewer: 'Viewer' }[role] ?? role
})

/** A duration in words: "12 s", "3 minutes", "2 hours" */
edge.global('durationWords', (seconds: number | null | undefined) => {
  if (seconds === null || seconds === undefined) return ''
  if (seconds < 60) return `${Math.round(seconds)} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours} hours`
  return `${Math.floor(hours / 24)} days`
})

/**
 * The admins' "no worker has run" banner (components/layout/app.edge). The one
 * global that reads the database: one small query per 10 s per process at most
 * (app/queue/worker_health.ts caches it), and only for admins' pages.
 */
edge.global('workersStale', () => workerHealth.workersStale())

/**
 * The workspace banners (partials/layout/workspace_banners.edge): what needs a
 * person in this workspace. One query per request: the cache is keyed by the
 * workspace model the request loaded, so it lives as long as the request.
 */
const attention = new WeakMap<Workspace, Promise<AttentionItem[]>>()
edge.global('workspaceAttention', (workspace: Workspace) => {
  let items = attention.get(workspace)
  if (!items) {
    items = (async () => {
      const { WorkspaceAttentionQuery } = await import('#queries/workspace_attention_query')
      const { Publishers } = await import('#plugin_host/publishers')
      const publishers = await app.container.make(Publishers)
      return new WorkspaceAttentionQuery().execute(workspace, (id) => publishers.displayName(id))
    })()
    attention.set(workspace, items)
  }
  return items
})

/** How a target's state is shown: { label, tone } (../shared/UI.md status language) */
edge.global('targetStatus', (status: TargetStatus) => TARGET_STATUS_LABELS[status])

/** How a post's rolled-up status is shown: { label, tone } */
edge.global('postStatus', (status: PostStatus) => POST_STATUS_LABELS[status])

/** A short time in a timezone: "09:00" today, "Tue 24 Nov, 09:00" otherwise */
edge.global('shortDateTime', (value: DateTime | null | undefined, zone = 'UTC') => {
  if (!value) return ''
  const local = value.setZone(zone)
  const sameDay = local.hasSame(DateTime.now().setZone(zone), 'day')
  return sameDay ? local.toFormat('HH:mm') : local.toFormat('ccc d LLL, HH:mm')
})

/**
 * A URL fit for a link or an image: http(s) only, else undefined (a platform or
 * a person could hand over `javascript:`). Use for every URL Herald did not build.
 */
edge.global('safeUrl', (value: string | null | undefined) => {
  if (!value || !URL.canParse(value)) return undefined
  return ['http:', 'https:'].includes(new URL(value).protocol) ? value : undefined
})
