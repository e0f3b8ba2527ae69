import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import SocialAccount from '#models/social_account'
import { AccountTokens } from '#services/account_tokens'
import { RefreshExpiringTokens } from '#actions/accounts/refresh_expiring_tokens'
import { FAKE_META_PAGES, FAKE_META_USER } from '#tests/fakes/meta'
import { isolateDatabase } from '#tests/helpers/database'
import { PlatformFakes } from '#tests/helpers/platforms'
import { accountsOf, connectFlow, memberIn } from '#tests/helpers/accounts'
import { captureAppLogs } from '#tests/helpers/log_capture'
import { csrfOf } from '#tests/helpers/web_agent'

const fakes = new PlatformFakes()

/** Every token the fakes saw on the wire: bearer headers and token form fields */
function tokensSeenByFakes() {
  const seen = new Set<string>()
  const bearer = (value: unknown) => {
    const match = /^Bearer\s+(.+)$/i.exec(String(value ?? ''))
    if (match) seen.add(match[1])
  }
  const fields = ['refresh_token', 'token', 'fb_exchange_token', 'access_token']
  for (const request of [...fakes.x.requests, ...fakes.linkedin.requests]) {
    bearer(request.headers.authorization)
    for (const field of fields) if (request.form?.[field]) seen.add(request.form[field])
  }
  for (const request of fakes.meta.requests) {
    bearer(request.headers.authorization)
    if (request.token) seen.add(request.token)
    for (const field of fields) if (request.params[field]) seen.add(request.params[field])
  }
  for (const page of FAKE_META_PAGES) seen.add(page.accessToken)
  seen.add(FAKE_META_USER.accessToken)
  return [...seen].filter((token) => token.length >= 16)
}

test.group('Accounts: no token in plaintext anywhere', (group) => {
  isolateDatabase(group)
  fakes.useIn(group)

  test('after connecting, refreshing and disconnecting: no token in the database, the logs or a page', async ({
    assert,
  }) => {
    const logs = captureAppLogs()
    let pages: string[] = []
    try {
      const { workspace, agent } = await memberIn()
      await connectFlow(agent, workspace, 'x')
      const linkedin = await connectFlow(agent, workspace, 'linkedin')
      const facebook = await connectFlow(agent, workspace, 'facebook')
      await agent.submit(facebook, facebook.url.pathname, { 'accounts[]': [FAKE_META_PAGES[0].id] })
      const instagram = await connectFlow(agent, workspace, 'instagram')
      await agent.submit(instagram, instagram.url.pathname, {
        'accounts[]': [FAKE_META_PAGES[0].igUserId!],
      })
      // A picker left open: its candidates (with Page tokens) wait in pending_account_connections.
      await connectFlow(agent, workspace, 'facebook')

      const tokens = await app.container.make(AccountTokens)
      const [x] = await accountsOf(workspace, 'x')
      await tokens.fresh(x, { force: true })
      await x.merge({ tokenExpiresAt: x.tokenExpiresAt!.minus({ minutes: 110 }) }).save()
      const report = await (await app.container.make(RefreshExpiringTokens)).execute()
      assert.equal(report.refreshed, 1)
      assert.equal(fakes.x.refreshCount, 2)

      const [li] = await accountsOf(workspace, 'linkedin')
      await agent.submit(linkedin, `/w/${workspace.slug}/accounts/${li.id}?_method=DELETE`)
      await agent.visit(`/w/${workspace.slug}/accounts`)
      await agent.visit(`/w/${workspace.slug}`)
      await agent.request('POST', `/w/${workspace.slug}/accounts/check/x`, {
        form: { _csrf: csrfOf(linkedin.body) },
        headers: { 'hx-request': 'true' },
      })
      pages = agent.visits.map((visit) => visit.body)
    } finally {
      logs.stop()
    }

    const stored = []
    const reader = await app.container.make(AccountTokens)
    for (const account of await SocialAccount.all()) stored.push(await reader.read(account))
    const secrets = [
      ...tokensSeenByFakes(),
      ...stored.flatMap((set) => (set ? [set.accessToken, set.refreshToken ?? ''] : [])),
    ].filter((token) => token.length >= 16)
    assert.isAbove(secrets.length, 10, 'the flows used real tokens')

    const tables = await db
      .from('pg_tables')
      .where('schemaname', 'public')
      .select('tablename')
      .orderBy('tablename')
    let dump = ''
    for (const { tablename } of tables) {
      dump += `${tablename}\n${JSON.stringify(await db.from(tablename).select('*'))}\n`
    }
    assert.include(dump, 'pending_account_connections')
    assert.match(dump, /"access_token":"v1:[0-9a-f]{8}:/)
    assert.match(dump, /"candidates":"v1:[0-9a-f]{8}:/)
    const inDump = secrets.filter((secret) => dump.includes(secret))
    assert.deepEqual(inDump, [], 'tokens found in the database dump')

    const logText = logs.text()
    assert.include(logText, '/oauth/x/callback', 'the logs were captured')
    assert.include(logText, '/oauth/instagram/callback')
    const inLogs = secrets.filter((secret) => logText.includes(secret))
    assert.deepEqual(inLogs, [], 'tokens found in the logs')

    assert.isAbove(pages.length, 10)
    const inPages = secrets.filter((secret) => pages.some((page) => page.includes(secret)))
    assert.deepEqual(inPages, [], 'tokens found in a rendered page')
  }).timeout(60_000)
})
