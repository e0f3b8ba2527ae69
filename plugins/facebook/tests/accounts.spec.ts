import { resolveOAuthSpec } from '@herald/plugin-sdk'
import { test } from '@japa/runner'
import plugin from '../src/index.js'
import {
  FAKE_META_APP,
  FAKE_META_PAGES,
  FAKE_META_USER,
  FakeMeta,
} from '@herald/meta-graph/testing'
import { contextOf, pluginError, publishInput } from './helpers.js'

const fake = new FakeMeta()
const publisher = plugin.kinds.publisher!
const user = { accessToken: FAKE_META_USER.accessToken }

test.group('facebook / accounts and tokens', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('oauth data: Ally facebook, Page scopes, versioned URLs from settings', ({ assert }) => {
    const spec = resolveOAuthSpec(publisher.oauth, fake.settings())
    assert.equal(spec.allyDriver, 'facebook')
    assert.deepEqual(spec.scopes, [
      'pages_show_list',
      'pages_read_engagement',
      'pages_manage_posts',
    ])
    assert.equal(spec.authorizeUrl, `${fake.url}/v25.0/dialog/oauth`)
    assert.equal(spec.tokenUrl, `${fake.url}/v25.0/oauth/access_token`)
    assert.equal(spec.scopeSeparator, ',')
    assert.equal(spec.clientIdSetting, 'appId')
    const real = resolveOAuthSpec(publisher.oauth, {
      graphVersion: 'v25.0',
      graphBaseUrl: 'https://graph.facebook.com',
      dialogBaseUrl: 'https://www.facebook.com',
    })
    assert.equal(real.authorizeUrl, 'https://www.facebook.com/v25.0/dialog/oauth')
  })

  test('the authorize URL and token endpoint work against the fake (code exchange)', async ({
    assert,
  }) => {
    const spec = resolveOAuthSpec(publisher.oauth, fake.settings())
    const authorize = new URL(spec.authorizeUrl)
    authorize.search = new URLSearchParams({
      client_id: FAKE_META_APP.id,
      redirect_uri: 'http://localhost/cb',
      state: 's1',
      scope: spec.scopes.join(','),
    }).toString()
    const redirect = await fetch(authorize, { redirect: 'manual' })
    const location = new URL(redirect.headers.get('location')!)
    assert.equal(location.searchParams.get('state'), 's1')
    const token = new URL(spec.tokenUrl)
    token.search = new URLSearchParams({
      client_id: FAKE_META_APP.id,
      client_secret: FAKE_META_APP.secret,
      redirect_uri: 'http://localhost/cb',
      code: location.searchParams.get('code')!,
    }).toString()
    const answer = await fetch(token)
    const body = (await answer.json()) as { access_token: string }
    const profile = await publisher.fetchProfile(contextOf(fake), {
      accessToken: body.access_token,
    })
    assert.equal(profile.externalId, FAKE_META_USER.id)
  })

  test('fetchProfile reads /me', async ({ assert }) => {
    const profile = await publisher.fetchProfile(contextOf(fake), user)
    assert.deepEqual(profile, {
      externalId: FAKE_META_USER.id,
      handle: FAKE_META_USER.id,
      displayName: FAKE_META_USER.name,
      avatarUrl: FAKE_META_USER.picture,
    })
  })

  test('fetchAccounts lists the Pages with their own Page tokens (no expiry)', async ({
    assert,
  }) => {
    const accounts = await publisher.fetchAccounts!(contextOf(fake), user)
    assert.deepEqual(
      accounts.map((account) => [
        account.externalId,
        account.displayName,
        account.tokens?.accessToken,
        account.tokens?.expiresAt,
      ]),
      FAKE_META_PAGES.map((page) => [page.id, page.name, page.accessToken, undefined])
    )
    const [sent] = fake.requestsTo('me.accounts')
    assert.include(sent.params.fields, 'access_token')
  })

  test('fetchAccounts with a short-lived user token exchanges it first, so the Page tokens never expire', async ({
    assert,
  }) => {
    const short = fake.issueShortLivedToken()
    const accounts = await publisher.fetchAccounts!(contextOf(fake), {
      accessToken: short,
      expiresAt: new Date(Date.now() + 3600_000),
    })
    assert.equal(fake.exchangeCount, 1)
    assert.lengthOf(accounts, 2)
    assert.isTrue(
      accounts.every((account) => fake.isNonExpiringPageToken(account.tokens!.accessToken))
    )
  })

  test('without the exchange, Page tokens read with a short-lived user token would expire (the fake is strict)', async ({
    assert,
  }) => {
    const short = fake.issueShortLivedToken()
    const accounts = await publisher.fetchAccounts!(contextOf(fake), { accessToken: short })
    assert.equal(fake.exchangeCount, 0)
    assert.isFalse(fake.isNonExpiringPageToken(accounts[0].tokens!.accessToken))
  })

  test('a Page token from fetchAccounts publishes to its Page', async ({ assert }) => {
    const [, bakery] = await publisher.fetchAccounts!(contextOf(fake), user)
    await publisher.publish(
      contextOf(fake),
      publishInput('Fresh bread', { account: bakery, tokens: bakery.tokens! })
    )
    assert.equal(fake.posts[0].pageId, FAKE_META_PAGES[1].id)
  })

  test('refresh exchanges a short-lived user token for a long-lived one (fb_exchange_token)', async ({
    assert,
  }) => {
    const short = fake.issueShortLivedToken()
    const now = new Date()
    const next = await publisher.refresh!(contextOf(fake, { now: () => now }), {
      accessToken: short,
      scopes: ['pages_show_list'],
    })
    assert.notEqual(next.accessToken, short)
    assert.equal(fake.exchangeCount, 1)
    assert.closeTo(next.expiresAt!.getTime() - now.getTime(), 5_183_944_000, 1000)
    assert.deepEqual(next.scopes, ['pages_show_list'])
    const [sent] = fake.requestsTo('token')
    assert.equal(sent.params.grant_type, 'fb_exchange_token')
    await publisher.fetchProfile(contextOf(fake), next)
  })

  test('refresh with a wrong app secret is Permanent and names the settings', async ({
    assert,
  }) => {
    const error = await pluginError(
      publisher.refresh!(contextOf(fake, { settings: { appSecret: 'wrong' } }), user),
      'Permanent'
    )
    assert.include(error.userMessage, 'FACEBOOK_APP_SECRET')
    assert.notInclude(`${error.message} ${error.stack}`, 'wrong')
  })

  test('missing app credentials are Permanent before any request', async ({ assert }) => {
    await pluginError(
      publisher.refresh!(contextOf(fake, { settings: { appId: '' } }), user),
      'Permanent'
    )
    assert.lengthOf(fake.requests, 0)
  })

  test('fetchAccounts reports the permissions the person granted (a declined one is missing)', async ({
    assert,
  }) => {
    fake.grantOnly(['pages_show_list', 'pages_read_engagement'])
    const spec = resolveOAuthSpec(publisher.oauth, fake.settings())
    const authorize = new URL(spec.authorizeUrl)
    authorize.search = new URLSearchParams({
      client_id: FAKE_META_APP.id,
      redirect_uri: 'http://localhost/cb',
      state: 's2',
      scope: spec.scopes.join(','),
    }).toString()
    const redirected = await fetch(authorize, { redirect: 'manual' })
    const location = new URL(redirected.headers.get('location')!)
    const token = new URL(spec.tokenUrl)
    token.search = new URLSearchParams({
      client_id: FAKE_META_APP.id,
      client_secret: FAKE_META_APP.secret,
      redirect_uri: 'http://localhost/cb',
      code: location.searchParams.get('code')!,
    }).toString()
    const answer = await fetch(token)
    const body = (await answer.json()) as { access_token: string }
    const accounts = await publisher.fetchAccounts!(contextOf(fake), {
      accessToken: body.access_token,
    })
    assert.sameMembers(accounts[0].tokens!.scopes!, [
      'public_profile',
      'pages_show_list',
      'pages_read_engagement',
    ])
  })

  test('the login dialog: a cancelled consent and unknown permissions', async ({ assert }) => {
    const spec = resolveOAuthSpec(publisher.oauth, fake.settings())
    const dialog = (scope: string) => {
      const url = new URL(spec.authorizeUrl)
      url.search = new URLSearchParams({
        client_id: FAKE_META_APP.id,
        redirect_uri: 'http://localhost/cb',
        state: 's3',
        scope,
      }).toString()
      return fetch(url, { redirect: 'manual' })
    }
    const invalid = await dialog('pages_show_list,publish_everything')
    assert.equal(invalid.status, 400)
    assert.include(await invalid.text(), 'Invalid Scopes: publish_everything')
    fake.denyConsent()
    const denied = await dialog(spec.scopes.join(','))
    const back = new URL(denied.headers.get('location')!)
    assert.equal(back.searchParams.get('error'), 'access_denied')
    assert.equal(back.searchParams.get('error_reason'), 'user_denied')
    assert.equal(back.searchParams.get('state'), 's3')
    assert.isNull(back.searchParams.get('code'))
  })

  test('checkCredentials gets an app token with client_credentials; a wrong secret is invalid', async ({
    assert,
  }) => {
    const good = await publisher.checkCredentials!(contextOf(fake))
    assert.equal(good.status, 'valid')
    assert.equal(fake.requestsTo('token')[0].params.grant_type, 'client_credentials')
    const bad = await publisher.checkCredentials!(
      contextOf(fake, { settings: { appSecret: 'not-the-app-secret' } })
    )
    assert.equal(bad.status, 'invalid')
    assert.include(bad.message, 'FACEBOOK_APP_SECRET')
    assert.notInclude(bad.message, 'not-the-app-secret')
    const missing = await publisher.checkCredentials!(contextOf(fake, { settings: { appId: '' } }))
    assert.equal(missing.status, 'invalid')
  })
})
