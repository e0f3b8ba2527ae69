import { createHash, randomBytes } from 'node:crypto'
import { test } from '@japa/runner'
import { resolveOAuthSpec } from '@herald/plugin-sdk'
import plugin from '../src/index.js'
import {
  FAKE_LINKEDIN_CLIENT,
  FAKE_LINKEDIN_MEMBER,
  FAKE_LINKEDIN_TOKENS,
  FakeLinkedIn,
} from './fake_linkedin.js'
import { contextOf, pluginError, settingsOf } from './helpers.js'

const publisher = plugin.kinds.publisher!
const fake = new FakeLinkedIn()
const CALLBACK = 'https://studio.example.com/accounts/linkedin/callback'
const NOW = new Date('2026-11-24T10:00:00.000Z')

/** What the host's Ally driver does: the authorize URL from the resolved spec. */
function authorizeUrl(state: string): URL {
  const spec = resolveOAuthSpec(publisher.oauth, settingsOf(fake))
  const url = new URL(spec.authorizeUrl)
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('client_id', FAKE_LINKEDIN_CLIENT.id)
  url.searchParams.set('redirect_uri', CALLBACK)
  url.searchParams.set('scope', spec.scopes.join(spec.scopeSeparator ?? ' '))
  url.searchParams.set('state', state)
  return url
}

async function consent(url: URL): Promise<URL> {
  const response = await fetch(url, { redirect: 'manual' })
  if (response.status !== 302) throw new Error(`authorize answered ${response.status}`)
  return new URL(response.headers.get('location')!)
}

async function exchange(form: Record<string, string>) {
  const spec = resolveOAuthSpec(publisher.oauth, settingsOf(fake))
  const response = await fetch(spec.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

test.group('linkedin / oauth data and flow', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('declares Ally linkedinOpenidConnect, the posting scopes and body client auth', ({
    assert,
  }) => {
    assert.deepEqual(publisher.oauth, {
      allyDriver: 'linkedinOpenidConnect',
      authorizeUrl: '{oauthBaseUrl}/authorization',
      tokenUrl: '{oauthBaseUrl}/accessToken',
      scopes: ['openid', 'profile', 'email', 'w_member_social'],
      publishScopes: ['w_member_social'],
      pkce: false,
      clientAuth: 'body',
      scopeSeparator: ' ',
      clientIdSetting: 'clientId',
      clientSecretSetting: 'clientSecret',
    })
    const defaults = resolveOAuthSpec(publisher.oauth, {
      oauthBaseUrl: 'https://www.linkedin.com/oauth/v2/',
    })
    assert.equal(defaults.authorizeUrl, 'https://www.linkedin.com/oauth/v2/authorization')
    assert.equal(defaults.tokenUrl, 'https://www.linkedin.com/oauth/v2/accessToken')
    const local = resolveOAuthSpec(publisher.oauth, settingsOf(fake))
    assert.equal(local.tokenUrl, `${fake.url}/oauth/v2/accessToken`)
  })

  test('consent → code → token (client credentials in the body) → profile with the member URN', async ({
    assert,
  }) => {
    const back = await consent(authorizeUrl('st-1'))
    assert.equal(back.searchParams.get('state'), 'st-1')
    const { status, body } = await exchange({
      grant_type: 'authorization_code',
      code: back.searchParams.get('code')!,
      redirect_uri: CALLBACK,
      client_id: FAKE_LINKEDIN_CLIENT.id,
      client_secret: FAKE_LINKEDIN_CLIENT.secret,
    })
    assert.equal(status, 200)
    assert.equal(body.expires_in, 5_184_000)
    assert.equal(body.scope, 'email,openid,profile,w_member_social')
    assert.isString(body.id_token)
    assert.notProperty(body, 'refresh_token', 'self-serve apps get no refresh token')

    const profile = await publisher.fetchProfile(contextOf(fake), {
      accessToken: String(body.access_token),
    })
    assert.deepEqual(profile, {
      externalId: `urn:li:person:${FAKE_LINKEDIN_MEMBER.sub}`,
      handle: FAKE_LINKEDIN_MEMBER.email,
      displayName: FAKE_LINKEDIN_MEMBER.name,
      avatarUrl: FAKE_LINKEDIN_MEMBER.picture,
    })
    const [userinfo] = fake.requestsTo('userinfo')
    assert.equal(userinfo.headers.authorization, `Bearer ${String(body.access_token)}`)
  })

  test('denied consent, a missing client secret and a replayed code are refused', async ({
    assert,
  }) => {
    const back = await consent(authorizeUrl('s'))
    const code = back.searchParams.get('code')!
    const noSecret = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      client_id: FAKE_LINKEDIN_CLIENT.id,
    })
    assert.equal(noSecret.status, 401)
    assert.equal(noSecret.body.error, 'invalid_client')
    const form = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      client_id: FAKE_LINKEDIN_CLIENT.id,
      client_secret: FAKE_LINKEDIN_CLIENT.secret,
    }
    const first = await exchange(form)
    assert.equal(first.status, 200)
    const replay = await exchange(form)
    assert.equal(replay.body.error, 'invalid_grant')

    fake.denyConsent()
    const denied = await consent(authorizeUrl('st-2'))
    assert.equal(denied.searchParams.get('error'), 'user_cancelled_authorize')
    assert.equal(denied.searchParams.get('state'), 'st-2')
  })

  test('when the client sends a PKCE challenge, the token endpoint verifies the S256 verifier', async ({
    assert,
  }) => {
    const verifier = randomBytes(48).toString('base64url')
    const url = authorizeUrl('pkce')
    url.searchParams.set(
      'code_challenge',
      createHash('sha256').update(verifier).digest('base64url')
    )
    url.searchParams.set('code_challenge_method', 'S256')
    const form = {
      grant_type: 'authorization_code',
      redirect_uri: CALLBACK,
      client_id: FAKE_LINKEDIN_CLIENT.id,
      client_secret: FAKE_LINKEDIN_CLIENT.secret,
    }
    const first = await consent(url)
    const wrong = await exchange({
      ...form,
      code: first.searchParams.get('code')!,
      code_verifier: randomBytes(48).toString('base64url'),
    })
    assert.equal(wrong.status, 400)
    const second = await consent(url)
    const right = await exchange({
      ...form,
      code: second.searchParams.get('code')!,
      code_verifier: verifier,
    })
    assert.equal(right.status, 200)
  })
})

test.group('linkedin / refresh and revoke', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('without a refresh token: AuthExpired asking for a reconnect before the expiry date, no request', async ({
    assert,
  }) => {
    const expiresAt = new Date('2027-01-10T08:00:00.000Z')
    const error = await pluginError(
      publisher.refresh!(contextOf(fake, { now: () => NOW }), {
        accessToken: FAKE_LINKEDIN_TOKENS.accessToken,
        expiresAt,
      }),
      'AuthExpired'
    )
    assert.equal(
      error.message,
      'LinkedIn gives this app no refresh token (only approved partners get one): reconnect the LinkedIn account before its access token expires on 2027-01-10.'
    )
    assert.lengthOf(fake.requests, 0)
  })

  test('a partner app refreshes with the client credentials and keeps the refresh token', async ({
    assert,
  }) => {
    fake.partnerApp = true
    const tokens = fake.issueTokens()
    const next = await publisher.refresh!(contextOf(fake, { now: () => NOW }), tokens)
    assert.notEqual(next.accessToken, tokens.accessToken)
    assert.equal(next.refreshToken, tokens.refreshToken)
    assert.deepEqual(next.expiresAt, new Date(NOW.getTime() + 5_184_000_000))
    assert.deepEqual(next.scopes, ['email', 'openid', 'profile', 'w_member_social'])
    const [sent] = fake.requestsTo('token')
    assert.deepEqual(sent.form, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refreshToken!,
      client_id: FAKE_LINKEDIN_CLIENT.id,
      client_secret: FAKE_LINKEDIN_CLIENT.secret,
    })
    assert.isTrue(fake.isTokenValid(next.accessToken))
  })

  test('an answer without refresh_token keeps the old one; a revoked one is AuthExpired', async ({
    assert,
  }) => {
    fake.partnerApp = true
    fake.omitRefreshTokenOnRefresh = true
    const tokens = fake.issueTokens()
    const next = await publisher.refresh!(contextOf(fake), tokens)
    assert.equal(next.refreshToken, tokens.refreshToken)
    fake.revokeToken(tokens.refreshToken!)
    await pluginError(publisher.refresh!(contextOf(fake), next), 'AuthExpired')
  })

  test('revoke invalidates the token at LinkedIn', async ({ assert }) => {
    const tokens = fake.issueTokens()
    await publisher.revoke!(contextOf(fake), tokens)
    assert.isFalse(fake.isTokenValid(tokens.accessToken))
    assert.deepEqual(fake.requestsTo('revoke')[0].form, {
      client_id: FAKE_LINKEDIN_CLIENT.id,
      client_secret: FAKE_LINKEDIN_CLIENT.secret,
      token: tokens.accessToken,
    })
  })

  test('checkCredentials: the token endpoint tells a good client from a wrong one', async ({
    assert,
  }) => {
    const good = await publisher.checkCredentials!(contextOf(fake))
    assert.equal(good.status, 'valid')
    assert.equal(fake.requestsTo('token')[0].form?.grant_type, 'authorization_code')

    const bad = await publisher.checkCredentials!(
      contextOf(fake, { settings: { clientSecret: 'not-the-linkedin-secret' } })
    )
    assert.equal(bad.status, 'invalid')
    assert.include(bad.message, 'LINKEDIN_CLIENT_SECRET')
    assert.notInclude(bad.message, 'not-the-linkedin-secret')
  })
})
