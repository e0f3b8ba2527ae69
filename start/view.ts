/*
|--------------------------------------------------------------------------
| Edge globals
|--------------------------------------------------------------------------
|
| Helpers templates call. Keep them pure: no database access here.
|
*/
import edge from 'edge.js'
import { DateTime } from 'luxon'
import type Workspace from '#models/workspace'

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
