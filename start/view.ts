/*
|--------------------------------------------------------------------------
| Edge globals
|--------------------------------------------------------------------------
|
| Helpers templates call. Keep them pure: no database access here.
|
*/
import edge, { edgeGlobals } from 'edge.js'
import { DateTime } from 'luxon'
import type Workspace from '#models/workspace'
import { stringifyAttributes } from '#services/html_attributes'

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
