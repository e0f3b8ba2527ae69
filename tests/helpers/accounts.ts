import app from '@adonisjs/core/services/app'
import type { Role } from '#models/membership'
import SocialAccount from '#models/social_account'
import type Workspace from '#models/workspace'
import { AccountTokens } from '#services/account_tokens'
import { addMember, createUser, createWorkspace, PASSWORD } from '#tests/helpers/factories'
import { WebAgent, type Visit } from '#tests/helpers/web_agent'

/** A workspace (owned by an admin) and a member of it signed in through a WebAgent */
export async function memberIn(
  role: Role = 'editor',
  workspaceOptions: { name?: string; timezone?: string } = {}
) {
  const owner = await createUser({ isAdmin: true })
  const workspace = await createWorkspace(owner, {
    name: workspaceOptions.name ?? 'Acme Coffee',
    timezone: workspaceOptions.timezone ?? 'Europe/Berlin',
  })
  const user = await createUser({ fullName: `Morgan ${role}` })
  await addMember(workspace, user, role)
  const agent = new WebAgent()
  await agent.signIn(user.email, PASSWORD)
  return { owner, workspace, user, agent }
}

/** Runs a whole connect flow (redirect, fake consent, callback) and returns the last page */
export async function connectFlow(agent: WebAgent, workspace: Workspace, pluginId: string) {
  return agent.visit(`/w/${workspace.slug}/accounts/connect/${pluginId}`)
}

/** The flash message of a page (success or error alert) */
export function flash(page: Visit, kind: 'success' | 'error') {
  const match = new RegExp(
    `<div class="alert ${kind}"[^>]*>[\\s\\S]*?<span>([\\s\\S]*?)</span>`
  ).exec(page.body)
  return match ? decode(match[1].trim()) : undefined
}

/** HTML entities back to text (the ones Edge writes) */
export function decode(html: string) {
  return html
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

export async function accountsOf(workspace: Workspace, pluginId?: string) {
  const query = SocialAccount.query().where('workspace_id', workspace.id).orderBy('id')
  if (pluginId) query.where('plugin_id', pluginId)
  return query
}

export async function tokensOf(account: SocialAccount) {
  return (await app.container.make(AccountTokens)).read(account)
}
