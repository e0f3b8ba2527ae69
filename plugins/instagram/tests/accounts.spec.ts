import { resolveOAuthSpec } from '@herald/plugin-sdk'
import { test } from '@japa/runner'
import plugin from '../src/index.js'
import { FAKE_META_USER, FakeMeta } from '@herald/meta-graph/testing'
import { contextOf, IG_ID, PAGE, photo, pluginError, publishInput } from './helpers.js'

const fake = new FakeMeta()
const publisher = plugin.kinds.publisher!
const user = { accessToken: FAKE_META_USER.accessToken }

test.group('instagram / accounts and tokens', (group) => {
  group.setup(() => fake.start())
  group.teardown(() => fake.stop())
  group.each.setup(() => fake.reset())

  test('oauth data: Ally facebook with the Instagram permissions and versioned URLs', ({
    assert,
  }) => {
    const spec = resolveOAuthSpec(publisher.oauth, fake.settings())
    assert.equal(spec.allyDriver, 'facebook')
    assert.includeMembers(spec.scopes, [
      'instagram_basic',
      'instagram_content_publish',
      'business_management',
      'pages_show_list',
      'pages_read_engagement',
    ])
    assert.equal(spec.authorizeUrl, `${fake.url}/v25.0/dialog/oauth`)
    assert.equal(spec.tokenUrl, `${fake.url}/v25.0/oauth/access_token`)
  })

  test('fetchAccounts returns the IG business accounts linked to the Pages, with the Page token', async ({
    assert,
  }) => {
    const accounts = await publisher.fetchAccounts!(contextOf(fake), user)
    assert.lengthOf(accounts, 1)
    const [account] = accounts
    assert.equal(account.externalId, IG_ID)
    assert.equal(account.handle, PAGE.igUsername)
    assert.equal(account.tokens?.accessToken, PAGE.accessToken)
    assert.isUndefined(account.tokens?.expiresAt)
    // the account publishes with what fetchAccounts gave
    await publisher.publish(
      contextOf(fake),
      publishInput(
        { text: 'Hi', media: [photo(fake.hostImage('a.jpg'))] },
        { account, tokens: account.tokens! }
      )
    )
    assert.lengthOf(fake.igMedia, 1)
  })

  test('a short-lived user token is exchanged first, so the Page token the account gets never expires', async ({
    assert,
  }) => {
    const short = fake.issueShortLivedToken()
    const [account] = await publisher.fetchAccounts!(contextOf(fake), {
      accessToken: short,
      expiresAt: new Date(Date.now() + 3600_000),
    })
    assert.equal(fake.exchangeCount, 1)
    assert.isTrue(fake.isNonExpiringPageToken(account.tokens!.accessToken))
  })

  test('no Page with a linked Instagram account is a clear Permanent error naming the Pages', async ({
    assert,
  }) => {
    for (const page of fake.pages) delete page.igUserId
    const error = await pluginError(publisher.fetchAccounts!(contextOf(fake), user), 'Permanent')
    assert.equal(error.code, 'no_instagram_business_account')
    assert.include(error.userMessage, 'Acme Coffee, Acme Bakery')
    assert.include(error.userMessage, 'Instagram professional account linked')
  })

  test('no Page at all says so', async ({ assert }) => {
    fake.pages = []
    const error = await pluginError(publisher.fetchAccounts!(contextOf(fake), user), 'Permanent')
    assert.include(error.userMessage, 'No Facebook Page was shared')
  })

  test('refresh exchanges for a long-lived user token', async ({ assert }) => {
    const short = fake.issueShortLivedToken()
    const next = await publisher.refresh!(contextOf(fake), { accessToken: short })
    assert.notEqual(next.accessToken, short)
    assert.equal(fake.exchangeCount, 1)
    assert.isAbove(next.expiresAt!.getTime(), Date.now() + 59 * 86_400_000)
  })

  test('fetchProfile reads /me', async ({ assert }) => {
    const profile = await publisher.fetchProfile(contextOf(fake), user)
    assert.equal(profile.externalId, FAKE_META_USER.id)
    assert.equal(profile.displayName, FAKE_META_USER.name)
  })

  test('checkCredentials uses an app token; a wrong secret names the Instagram settings', async ({
    assert,
  }) => {
    const good = await publisher.checkCredentials!(contextOf(fake))
    assert.equal(good.status, 'valid')
    const bad = await publisher.checkCredentials!(
      contextOf(fake, { settings: { appSecret: 'wrong-instagram-secret' } })
    )
    assert.equal(bad.status, 'invalid')
    assert.include(bad.message, 'INSTAGRAM_APP_SECRET')
  })

  test('the accounts carry the granted permissions read from /me/permissions', async ({
    assert,
  }) => {
    const [account] = await publisher.fetchAccounts!(contextOf(fake), user)
    assert.includeMembers(account.tokens!.scopes!, ['instagram_basic', 'instagram_content_publish'])
    assert.lengthOf(fake.requestsTo('me.permissions'), 1)
  })
})
