import { test } from '@japa/runner'
import { FAKE_LINKEDIN_MEMBER } from '#tests/fakes/linkedin'
import { isolateDatabase } from '#tests/helpers/database'
import { PlatformFakes } from '#tests/helpers/platforms'
import { accountsOf, connectFlow, flash, memberIn, tokensOf } from '#tests/helpers/accounts'
import { appUrl } from '#config/app'

const fakes = new PlatformFakes()

test.group('Accounts: connect LinkedIn (OpenID Connect + w_member_social)', (group) => {
  isolateDatabase(group)
  fakes.useIn(group)

  test('connects a member profile whose 60-day token has no refresh token', async ({ assert }) => {
    const { workspace, agent } = await memberIn()
    const start = await agent.get(`/w/${workspace.slug}/accounts/connect/linkedin`)
    const authorize = new URL(start.headers.get('location')!)
    assert.equal(authorize.pathname, '/oauth/v2/authorization')
    assert.equal(authorize.searchParams.get('scope'), 'openid profile email w_member_social')
    assert.equal(authorize.searchParams.get('redirect_uri'), `${appUrl}/oauth/linkedin/callback`)
    assert.isNull(authorize.searchParams.get('code_challenge'))

    const page = await agent.follow(start)
    assert.equal(flash(page, 'success'), 'Jane Doe on LinkedIn is connected.')
    const [account] = await accountsOf(workspace, 'linkedin')
    assert.equal(account.externalId, `urn:li:person:${FAKE_LINKEDIN_MEMBER.sub}`)
    assert.sameMembers(account.scopes, ['openid', 'profile', 'email', 'w_member_social'])
    const days = account.tokenExpiresAt!.diffNow('days').days
    assert.closeTo(days, 60, 0.1)
    const tokens = await tokensOf(account)
    assert.isUndefined(tokens!.refreshToken)
    assert.isTrue(fakes.linkedin.isTokenValid(tokens!.accessToken))
    const [exchange] = fakes.linkedin.requestsTo('token')
    assert.equal(exchange.form?.client_secret, fakes.linkedin.settings().clientSecret)
    assert.include(page.body, 'Expires ')
    assert.include(page.body, '(in 60 days)')
  })

  test('a member who cancels gets a clear message', async ({ assert }) => {
    const { workspace, agent } = await memberIn()
    fakes.linkedin.denyConsent()
    const page = await connectFlow(agent, workspace, 'linkedin')
    assert.include(flash(page, 'error'), 'LinkedIn says the permission was not given')
    assert.lengthOf(await accountsOf(workspace), 0)
  })

  test('an app without the products for a scope is explained to the admin', async ({ assert }) => {
    const { workspace, agent } = await memberIn()
    const start = await agent.get(`/w/${workspace.slug}/accounts/connect/linkedin`)
    const callback = new URL(`${appUrl}/oauth/linkedin/callback`)
    callback.searchParams.set('error', 'unauthorized_scope_error')
    callback.searchParams.set(
      'error_description',
      'Scope "w_member_social" is not authorized for your application'
    )
    callback.searchParams.set(
      'state',
      new URL(start.headers.get('location')!).searchParams.get('state')!
    )
    const page = await agent.visit(callback)
    assert.include(flash(page, 'error'), 'LinkedIn refused the permissions Herald asks for')
    assert.include(flash(page, 'error'), 'w_member_social')
  })
})
