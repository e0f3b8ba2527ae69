import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import AuditEvent from '#models/audit_event'
import { Publishers } from '#plugin_host/publishers'
import { FAKE_X_USER } from '#tests/fakes/x'
import { isolateDatabase } from '#tests/helpers/database'
import { PlatformFakes } from '#tests/helpers/platforms'
import { accountsOf, connectFlow, flash, memberIn, tokensOf } from '#tests/helpers/accounts'
import { appUrl } from '#config/app'

const fakes = new PlatformFakes()
const X_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'media.write']

test.group('Accounts: connect X (OAuth 2.0 with PKCE)', (group) => {
  isolateDatabase(group)
  fakes.useIn(group)

  test('an editor connects an X account: PKCE redirect, callback, tokens stored encrypted', async ({
    assert,
  }) => {
    const { workspace, agent } = await memberIn()
    const start = await agent.get(`/w/${workspace.slug}/accounts/connect/x`)
    assert.equal(start.status, 302)
    const authorize = new URL(start.headers.get('location')!)
    assert.equal(authorize.origin + authorize.pathname, fakes.x.authorizeUrl)
    assert.equal(authorize.searchParams.get('redirect_uri'), `${appUrl}/oauth/x/callback`)
    assert.equal(authorize.searchParams.get('scope'), X_SCOPES.join(' '))
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256')
    assert.isNotEmpty(authorize.searchParams.get('code_challenge'))
    assert.isNotEmpty(authorize.searchParams.get('state'))

    const done = await agent.follow(start)
    assert.equal(done.url.pathname, `/w/${workspace.slug}/accounts`)
    assert.equal(flash(done, 'success'), 'Herald Studio on X (Twitter) is connected.')
    assert.include(done.body, '@heraldstudio')

    const [account] = await accountsOf(workspace, 'x')
    assert.equal(account.externalId, FAKE_X_USER.id)
    assert.equal(account.handle, 'heraldstudio')
    assert.equal(account.status, 'active')
    assert.sameMembers(account.scopes, X_SCOPES)
    assert.isNotNull(account.tokenExpiresAt)
    const tokens = await tokensOf(account)
    assert.isTrue(fakes.x.isTokenValid(tokens!.accessToken))
    assert.isTrue(fakes.x.isTokenValid(tokens!.refreshToken!))
    const [exchange] = fakes.x.requestsTo('token')
    assert.equal(exchange.form?.grant_type, 'authorization_code')
    assert.match(exchange.form?.code_verifier ?? '', /^[\w-]{43,128}$/)
    assert.notInclude(done.body, tokens!.accessToken)
    const event = await AuditEvent.query().where('action', 'account.connected').firstOrFail()
    assert.equal(event.subjectId, String(account.id))
  })

  test('connecting the same X account again renews the one row (no duplicate)', async ({
    assert,
  }) => {
    const { workspace, agent } = await memberIn()
    await connectFlow(agent, workspace, 'x')
    const [first] = await accountsOf(workspace)
    const before = await tokensOf(first)
    const again = await connectFlow(agent, workspace, 'x')
    assert.include(flash(again, 'success'), 'is reconnected')
    const accounts = await accountsOf(workspace)
    assert.lengthOf(accounts, 1)
    assert.equal(accounts[0].id, first.id)
    const after = await tokensOf(accounts[0])
    assert.notEqual(after!.accessToken, before!.accessToken)
  })

  test('denied consent comes back as a clear message and connects nothing', async ({ assert }) => {
    const { workspace, agent } = await memberIn()
    fakes.x.denyConsent()
    const page = await connectFlow(agent, workspace, 'x')
    assert.equal(page.status, 200)
    assert.equal(page.url.pathname, `/w/${workspace.slug}/accounts`)
    assert.include(flash(page, 'error'), 'X (Twitter) says the permission was not given')
    assert.lengthOf(await accountsOf(workspace), 0)
    assert.lengthOf(fakes.x.requestsTo('token'), 0)
  })

  test('scopes the person unticked are refused by name', async ({ assert }) => {
    const { workspace, agent } = await memberIn()
    fakes.x.grantOnly(['tweet.read', 'tweet.write', 'users.read', 'offline.access'])
    const page = await connectFlow(agent, workspace, 'x')
    assert.include(flash(page, 'error'), 'missing: media.write')
    assert.lengthOf(await accountsOf(workspace), 0)
  })

  test('a callback whose state does not match is refused (no token exchange)', async ({
    assert,
  }) => {
    const { workspace, agent } = await memberIn()
    const start = await agent.get(`/w/${workspace.slug}/accounts/connect/x`)
    const consent = await agent.get(start.headers.get('location')!)
    const callback = new URL(consent.headers.get('location')!)
    callback.searchParams.set('state', 'forged-state-value')
    const page = await agent.follow(await agent.get(callback))
    assert.equal(page.url.pathname, `/w/${workspace.slug}/accounts`)
    assert.include(flash(page, 'error'), 'could not verify this answer from X (Twitter)')
    assert.lengthOf(fakes.x.requestsTo('token'), 0)
    assert.lengthOf(await accountsOf(workspace), 0)
  })

  test('a callback nobody started in this session is refused, never a 500', async ({ assert }) => {
    const { workspace, agent } = await memberIn()
    const page = await agent.visit('/oauth/x/callback?code=stolen-code&state=whatever')
    assert.equal(page.status, 200)
    assert.equal(page.url.pathname, '/')
    assert.include(flash(page, 'error'), 'no connection to X (Twitter) was started')
    assert.lengthOf(await accountsOf(workspace), 0)
  })

  test('a callback replayed after it was used is refused', async ({ assert }) => {
    const { workspace, agent } = await memberIn()
    await connectFlow(agent, workspace, 'x')
    const callback = agent.visits.find((visit) => visit.url.pathname === '/oauth/x/callback')!
    const replay = await agent.visit(callback.url)
    assert.include(flash(replay, 'error'), 'no connection to X (Twitter) was started')
    assert.lengthOf(await accountsOf(workspace), 1)
  })

  test('credentials the token endpoint refuses are reported for an admin to fix', async ({
    assert,
  }) => {
    const { workspace, agent } = await memberIn()
    const start = await agent.get(`/w/${workspace.slug}/accounts/connect/x`)
    const consent = await agent.get(start.headers.get('location')!)
    fakes.setEnv({ X_CLIENT_SECRET: 'a-rotated-secret-nobody-told-herald' })
    const page = await agent.follow(consent)
    assert.include(flash(page, 'error'), "X (Twitter) refused Herald's app credentials")
    assert.notInclude(page.body, 'a-rotated-secret-nobody-told-herald')
    assert.lengthOf(await accountsOf(workspace), 0)
  })

  test('a platform that is not set up says so before leaving Herald', async ({ assert }) => {
    const { workspace, agent } = await memberIn()
    fakes.setEnv({ X_CLIENT_ID: undefined })
    const start = await agent.get(`/w/${workspace.slug}/accounts/connect/x`)
    assert.equal(start.headers.get('location'), `/w/${workspace.slug}/accounts`)
    const page = await agent.follow(start)
    assert.include(flash(page, 'error'), 'X (Twitter) is not set up on this Herald yet')
  })

  test('a publisher that names no Ally driver connects through the generic OAuth 2.0 driver (PKCE, Basic auth)', async ({
    assert,
  }) => {
    const publishers = await app.container.make(Publishers)
    const spec = publishers.get('x').publisher.oauth as { allyDriver?: string }
    const driver = spec.allyDriver
    delete spec.allyDriver
    try {
      const { workspace, agent } = await memberIn()
      const start = await agent.get(`/w/${workspace.slug}/accounts/connect/x`)
      const authorize = new URL(start.headers.get('location')!)
      assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256')
      assert.equal(authorize.searchParams.get('response_type'), 'code')
      assert.equal(authorize.searchParams.get('scope'), X_SCOPES.join(' '))
      assert.isDefined(agent.cookie('herald_oauth_x_verifier'))
      const done = await agent.follow(start)
      assert.equal(flash(done, 'success'), 'Herald Studio on X (Twitter) is connected.')
      const [exchange] = fakes.x.requestsTo('token')
      assert.match(String(exchange.headers.authorization), /^Basic /)
      assert.isUndefined(exchange.form?.client_secret)
      const [account] = await accountsOf(workspace, 'x')
      assert.isTrue(fakes.x.isTokenValid((await tokensOf(account))!.accessToken))
    } finally {
      spec.allyDriver = driver
    }
  })
})
