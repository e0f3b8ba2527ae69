import { createHash, randomBytes } from 'node:crypto'
import { test } from '@japa/runner'
import { resolveOAuthSpec } from '@herald/plugin-sdk'
import plugin from '../src/index.js'
import { FAKE_X_CLIENT, FAKE_X_USER, FakeX } from './fake_x.js'
import { contextOf, settingsOf } from './helpers.js'

const publisher = plugin.kinds.publisher!
const fake = new FakeX()
const CALLBACK = 'https://studio.example.com/accounts/x/callback'

const base64url = (buffer: Buffer) => buffer.toString('base64url')

/** What the host's Ally driver does: the authorize URL from the resolved spec, with S256 PKCE and state. */
function authorizeUrl(options: { verifier: string; state: string; scopes?: string[] }): URL {
  const spec = resolveOAuthSpec(publisher.oauth, settingsOf(fake))
  const url = new URL(spec.authorizeUrl)
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('client_id', FAKE_X_CLIENT.id)
  url.searchParams.set('redirect_uri', CALLBACK)
  url.searchParams.set('scope', (options.scopes ?? spec.scopes).join(spec.scopeSeparator ?? ' '))
  url.searchParams.set('state', options.state)
  url.searchParams.set(
    'code_challenge',
    base64url(createHash('sha256').update(options.verifier).digest())
  )
  url.searchParams.set('code_challenge_method', 'S256')
  return url
}

/** The browser step: follows nothing, returns the callback URL X redirects to. */
async function consent(url: URL): Promise<URL> {
  const response = await fetch(url, { redirect: 'manual' })
  if (response.status !== 302) throw new Error(`authorize answered ${response.status}`)
  return new URL(response.headers.get('location')!)
}

async function exchange(
  form: Record<string, string>,
  auth = `${FAKE_X_CLIENT.id}:${FAKE_X_CLIENT.secret}`
): Promise<{ status: number; body: Record<string, unknown> }> {
  const spec = resolveOAuthSpec(publisher.oauth, settingsOf(fake))
  const response = await fetch(spec.tokenUrl, {
    method: 'POST',
    headers: {
      'authorization': `Basic ${Buffer.from(auth).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

test.group('x / oauth data', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('declares Ally twitterX with PKCE, Basic client auth and the publishing scopes', ({
    assert,
  }) => {
    assert.deepEqual(publisher.oauth, {
      allyDriver: 'twitterX',
      authorizeUrl: '{authorizeUrl}',
      tokenUrl: '{apiBaseUrl}/2/oauth2/token',
      scopes: ['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'media.write'],
      publishScopes: ['tweet.read', 'tweet.write', 'users.read', 'media.write'],
      pkce: true,
      clientAuth: 'basic',
      scopeSeparator: ' ',
      clientIdSetting: 'clientId',
      clientSecretSetting: 'clientSecret',
    })
  })

  test('URLs are built from settings: public defaults, or the fake', ({ assert }) => {
    const defaults = resolveOAuthSpec(publisher.oauth, {
      authorizeUrl: 'https://x.com/i/oauth2/authorize',
      apiBaseUrl: 'https://api.x.com/',
    })
    assert.equal(defaults.authorizeUrl, 'https://x.com/i/oauth2/authorize')
    assert.equal(defaults.tokenUrl, 'https://api.x.com/2/oauth2/token')

    const local = resolveOAuthSpec(publisher.oauth, settingsOf(fake))
    assert.equal(local.authorizeUrl, `${fake.url}/i/oauth2/authorize`)
    assert.equal(local.tokenUrl, `${fake.url}/2/oauth2/token`)
  })

  test('the manifest defaults match the public endpoints', async ({ assert }) => {
    const { default: manifest } = await import('../package.json', { with: { type: 'json' } })
    const defaults = Object.fromEntries(
      manifest.herald.settings.map((field: { name: string; default?: unknown }) => [
        field.name,
        field.default,
      ])
    )
    assert.equal(defaults.authorizeUrl, 'https://x.com/i/oauth2/authorize')
    assert.equal(defaults.apiBaseUrl, 'https://api.x.com')
    const secret = manifest.herald.settings.find(
      (field: { name: string }) => field.name === 'clientSecret'
    )
    assert.include(secret, { secret: true, required: true, env: 'X_CLIENT_SECRET' })
    assert.notProperty(secret, 'default')
  })
})

test.group('x / oauth flow against the fake (PKCE S256)', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('consent redirects back with code and state; the code and verifier give tokens of the user', async ({
    assert,
  }) => {
    const verifier = base64url(randomBytes(48))
    const back = await consent(authorizeUrl({ verifier, state: 'st-123' }))
    assert.equal(`${back.origin}${back.pathname}`, CALLBACK)
    assert.equal(back.searchParams.get('state'), 'st-123')
    const code = back.searchParams.get('code')!
    assert.isString(code)

    const { status, body } = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    })
    assert.equal(status, 200)
    assert.equal(body.token_type, 'bearer')
    assert.equal(body.expires_in, 7200)
    assert.equal(body.scope, 'tweet.read tweet.write users.read offline.access media.write')
    assert.isString(body.refresh_token)

    const profile = await publisher.fetchProfile(contextOf(fake), {
      accessToken: String(body.access_token),
    })
    assert.deepEqual(profile, {
      externalId: FAKE_X_USER.id,
      handle: FAKE_X_USER.username,
      displayName: FAKE_X_USER.name,
      avatarUrl: FAKE_X_USER.profileImageUrl,
    })
    const me = fake.requestsTo('me')[0]
    assert.equal(me.query['user.fields'], 'profile_image_url')
    assert.equal(me.headers.authorization, `Bearer ${String(body.access_token)}`)
  })

  test('a wrong code verifier, a reused code and a missing client secret are refused', async ({
    assert,
  }) => {
    const verifier = base64url(randomBytes(48))
    const back = await consent(authorizeUrl({ verifier, state: 's' }))
    const code = back.searchParams.get('code')!
    const form = { grant_type: 'authorization_code', code, redirect_uri: CALLBACK }

    const wrong = await exchange({ ...form, code_verifier: base64url(randomBytes(48)) })
    assert.equal(wrong.status, 400)
    assert.equal(wrong.body.error, 'invalid_grant')

    const noSecret = await exchange(
      { ...form, code_verifier: verifier },
      `${FAKE_X_CLIENT.id}:nope`
    )
    assert.equal(noSecret.status, 401)
    assert.equal(noSecret.body.error, 'invalid_client')

    const ok = await exchange({ ...form, code_verifier: verifier })
    assert.equal(ok.status, 200)
    const again = await exchange({ ...form, code_verifier: verifier })
    assert.equal(again.status, 400)
    assert.equal(again.body.error, 'invalid_grant')
    assert.isFalse(
      fake.isTokenValid(String(ok.body.access_token)),
      'a replayed code revokes its grant'
    )
  })

  test('denied consent comes back as error=access_denied with the state', async ({ assert }) => {
    fake.denyConsent()
    const back = await consent(
      authorizeUrl({ verifier: base64url(randomBytes(48)), state: 'st-9' })
    )
    assert.equal(back.searchParams.get('error'), 'access_denied')
    assert.equal(back.searchParams.get('state'), 'st-9')
    assert.isNull(back.searchParams.get('code'))
  })

  test('scopes the person did not grant are missing from the token answer', async ({ assert }) => {
    fake.grantOnly(['tweet.read', 'users.read', 'tweet.write'])
    const verifier = base64url(randomBytes(48))
    const back = await consent(authorizeUrl({ verifier, state: 's' }))
    const code = back.searchParams.get('code')!
    const { body } = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    })
    assert.equal(body.scope, 'tweet.read tweet.write users.read')
    assert.notProperty(body, 'refresh_token')
  })

  test('checkCredentials: the token endpoint tells a good client from a wrong one', async ({
    assert,
  }) => {
    const good = await publisher.checkCredentials!(contextOf(fake))
    assert.equal(good.status, 'valid')
    const [sent] = fake.requestsTo('token')
    assert.equal(sent.form?.grant_type, 'authorization_code')
    assert.lengthOf(fake.tweets, 0)

    const bad = await publisher.checkCredentials!(
      contextOf(fake, { settings: { clientSecret: 'not-the-secret-at-all' } })
    )
    assert.equal(bad.status, 'invalid')
    assert.include(bad.message, 'X_CLIENT_SECRET')
    assert.notInclude(bad.message, 'not-the-secret-at-all')

    const missing = await publisher.checkCredentials!(
      contextOf(fake, { settings: { clientId: '' } })
    )
    assert.equal(missing.status, 'invalid')
    assert.include(missing.message, 'X_CLIENT_ID')
  })

  test('checkCredentials: X out of reach is unverifiable, not invalid', async ({ assert }) => {
    fake.fail(503, { route: 'token' })
    const outcome = await publisher.checkCredentials!(contextOf(fake))
    assert.equal(outcome.status, 'unverifiable')
  })
})
