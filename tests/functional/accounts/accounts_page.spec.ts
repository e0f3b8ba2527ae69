import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import Post from '#models/post'
import PostTarget from '#models/post_target'
import SocialAccount from '#models/social_account'
import type Workspace from '#models/workspace'
import { AccountTokens } from '#services/account_tokens'
import { isolateDatabase } from '#tests/helpers/database'
import { PlatformFakes } from '#tests/helpers/platforms'
import { accountsOf, decode, flash, memberIn } from '#tests/helpers/accounts'
import { createUser, createWorkspace } from '#tests/helpers/factories'
import { csrfOf } from '#tests/helpers/web_agent'
import { appUrl } from '#config/app'

const fakes = new PlatformFakes()

/** An account stored directly (no OAuth), with its tokens */
async function storedAccount(
  workspace: Workspace,
  fields: Partial<SocialAccount> & { pluginId: string },
  tokens: { accessToken: string; refreshToken?: string; expiresAt?: Date; scopes?: string[] }
) {
  const account = await SocialAccount.create({
    workspaceId: workspace.id,
    externalId: `ext-${Math.random()}`,
    handle: 'handle',
    displayName: 'Some Account',
    connectedAt: DateTime.now(),
    ...fields,
  })
  await (await app.container.make(AccountTokens)).store(account, tokens)
  return account
}

test.group('Accounts page', (group) => {
  isolateDatabase(group)
  fakes.useIn(group)

  test('teaches what to do when empty and shows each platform with its callback URL and scopes', async ({
    assert,
  }) => {
    const { workspace, agent } = await memberIn()
    const page = await agent.visit(`/w/${workspace.slug}/accounts`)
    assert.equal(page.status, 200)
    assert.include(page.body, 'No accounts yet')
    for (const id of ['x', 'linkedin', 'facebook', 'instagram']) {
      assert.include(page.body, `id="platform-${id}"`)
      assert.include(page.body, `${appUrl}/oauth/${id}/callback`)
      assert.include(page.body, `href="/w/${workspace.slug}/accounts/connect/${id}"`)
    }
    assert.include(page.body, 'tweet.read tweet.write users.read offline.access media.write')
    assert.include(page.body, 'pages_show_list,pages_read_engagement,pages_manage_posts')
    assert.include(page.body, 'aria-current="page"')
  })

  test('a platform without credentials is marked not set up, with the admin link for admins', async ({
    assert,
  }) => {
    fakes.setEnv({ LINKEDIN_CLIENT_SECRET: undefined })
    const { workspace, agent, owner } = await memberIn()
    const page = await agent.visit(`/w/${workspace.slug}/accounts`)
    const card = /id="platform-linkedin"[\s\S]*?<\/details>/.exec(page.body)![0]
    assert.include(card, 'Not set up')
    assert.notInclude(card, '/accounts/connect/linkedin')
    assert.include(card, 'Primary client secret (LINKEDIN_CLIENT_SECRET)')
    assert.notInclude(card, '/admin/plugins/linkedin')

    const adminAgent = new (await import('#tests/helpers/web_agent')).WebAgent()
    await adminAgent.signIn(owner.email, 'correct horse battery')
    const adminPage = await adminAgent.visit(`/w/${workspace.slug}/accounts`)
    assert.include(adminPage.body, 'href="/admin/plugins/linkedin"')
  })

  test('shows status, expiry in the workspace timezone, permissions and the LinkedIn reconnect warning', async ({
    assert,
  }) => {
    const { workspace, agent } = await memberIn('editor', { timezone: 'America/New_York' })
    const expiresAt = DateTime.fromISO('2031-03-10T15:30:00Z')
    await storedAccount(
      workspace,
      {
        pluginId: 'x',
        displayName: 'Acme on X',
        handle: 'acme',
        scopes: ['tweet.read', 'users.read'],
      },
      { accessToken: 'a1-x-token', refreshToken: 'r1-x-token', expiresAt: expiresAt.toJSDate() }
    )
    const soon = DateTime.now().plus({ days: 5 })
    await storedAccount(
      workspace,
      { pluginId: 'linkedin', displayName: 'Jane Doe', handle: 'jane@example.com' },
      {
        accessToken: 'a1-li-token',
        expiresAt: soon.toJSDate(),
        scopes: ['openid', 'profile', 'email', 'w_member_social'],
      }
    )
    const page = await agent.visit(`/w/${workspace.slug}/accounts`)
    const body = decode(page.body)
    assert.include(body, 'Renews automatically (current token until Mon 10 Mar 2031, 11:30)')
    assert.include(body, '2 of 5 granted, missing tweet.write, offline.access, media.write')
    const warning = `Reconnect before ${soon.setZone('America/New_York').toFormat('ccc d LLL yyyy, HH:mm')}.`
    assert.include(body, warning)
    assert.include(body, 'All 4 granted')
    assert.notInclude(body, 'a1-x-token')
    assert.notInclude(body, 'r1-x-token')

    const dashboard = await agent.visit(`/w/${workspace.slug}`)
    assert.include(decode(dashboard.body), 'Jane Doe on LinkedIn must be reconnected before')
  })

  test('an account needing reconnect is red with its reason, a banner and the posts at risk', async ({
    assert,
  }) => {
    const { workspace, agent, user } = await memberIn('editor', { timezone: 'Asia/Tokyo' })
    const account = await storedAccount(
      workspace,
      {
        pluginId: 'x',
        displayName: 'Acme Studio',
        status: 'needs_reconnect',
        statusReason: 'X (Twitter) refused to renew access (invalid_grant). Reconnect the account.',
      },
      { accessToken: 'dead-token' }
    )
    const at = DateTime.fromISO('2031-01-02T03:04:00Z')
    const post = await Post.create({
      workspaceId: workspace.id,
      authorId: user.id,
      baseText:
        'Our <b>winter</b> blend is here, with notes of cocoa, cherry and a little spice, just in time for the holidays.',
      status: 'scheduled',
      scheduledAt: at,
    })
    await PostTarget.create({
      postId: post.id,
      workspaceId: workspace.id,
      socialAccountId: account.id,
      pluginId: 'x',
      status: 'scheduled',
    })
    const published = await Post.create({
      workspaceId: workspace.id,
      authorId: user.id,
      baseText: 'Done',
    })
    await PostTarget.create({
      postId: published.id,
      workspaceId: workspace.id,
      socialAccountId: account.id,
      pluginId: 'x',
      status: 'published',
    })

    const page = await agent.visit(`/w/${workspace.slug}/accounts`)
    const body = decode(page.body)
    assert.include(body, 'Needs reconnect')
    assert.include(body, 'refused to renew access (invalid_grant)')
    assert.include(body, '1 scheduled post will fail unless the account is reconnected')
    assert.include(page.body, `href="/w/${workspace.slug}/posts/${post.id}"`)
    assert.include(body, 'Thu 2 Jan 2031, 12:04')
    assert.include(page.body, 'Our &lt;b&gt;winter&lt;/b&gt; blend is here')
    assert.include(body, 'cherry and a little…')
    assert.notInclude(page.body, `/posts/${published.id}"`)
    assert.include(page.body, `href="/w/${workspace.slug}/accounts/${account.id}/reconnect"`)

    const dashboard = await agent.visit(`/w/${workspace.slug}`)
    assert.include(dashboard.body, `id="banner-account-${account.id}"`)
    assert.include(decode(dashboard.body), 'Acme Studio on X (Twitter) needs reconnecting.')
    assert.include(dashboard.body, '1 scheduled post will fail until then.')
    assert.include(dashboard.body, `href="/w/${workspace.slug}/accounts#account-${account.id}"`)
  })

  test('viewers and approvers see the accounts but cannot connect, reconnect or disconnect', async ({
    assert,
  }) => {
    for (const role of ['viewer', 'approver'] as const) {
      const { workspace, agent } = await memberIn(role)
      const account = await storedAccount(workspace, { pluginId: 'x' }, { accessToken: 'tok' })
      const page = await agent.visit(`/w/${workspace.slug}/accounts`)
      assert.include(page.body, 'Only owners and editors of this workspace can connect accounts.')
      assert.notInclude(page.body, '/accounts/connect/x"')
      assert.notInclude(page.body, 'Disconnect')

      for (const url of [`/accounts/connect/x`, `/accounts/${account.id}/reconnect`]) {
        const denied = await agent.request('GET', `/w/${workspace.slug}${url}`, {
          headers: { 'hx-request': 'true' },
        })
        assert.equal(denied.status, 403, `${role} ${url}`)
        assert.include(denied.body, 'Only owners and editors can connect')
      }
      const htmxDelete = await agent.request(
        'POST',
        `/w/${workspace.slug}/accounts/${account.id}?_method=DELETE`,
        { form: { _csrf: csrfOf(page.body) }, headers: { 'hx-request': 'true' } }
      )
      assert.equal(htmxDelete.status, 403)
      await account.refresh()
      assert.equal(account.status, 'active')
      assert.lengthOf(fakes.x.requests, 0)
    }
  })

  test("another workspace's account id is a 404", async ({ assert }) => {
    const { workspace, agent } = await memberIn()
    const other = await createWorkspace(await createUser(), { name: 'Someone Else' })
    const theirs = await storedAccount(other, { pluginId: 'x' }, { accessToken: 'tok' })
    const page = await agent.visit(`/w/${workspace.slug}/accounts`)
    const reconnect = await agent.get(`/w/${workspace.slug}/accounts/${theirs.id}/reconnect`)
    assert.equal(reconnect.status, 404)
    const disconnect = await agent.request(
      'POST',
      `/w/${workspace.slug}/accounts/${theirs.id}?_method=DELETE`,
      { form: { _csrf: csrfOf(page.body) } }
    )
    assert.equal(disconnect.status, 404)
    await theirs.refresh()
    assert.equal(theirs.status, 'active')
    const pick = await agent.get(
      `/w/${workspace.slug}/accounts/pick/00000000-0000-4000-8000-000000000000`
    )
    assert.equal(pick.status, 302)
  })

  test('"check configuration" asks each platform whether the credentials work', async ({
    assert,
  }) => {
    const { workspace, agent } = await memberIn()
    const page = await agent.visit(`/w/${workspace.slug}/accounts`)
    const check = (plugin: string) =>
      agent.request('POST', `/w/${workspace.slug}/accounts/check/${plugin}`, {
        form: { _csrf: csrfOf(page.body) },
        headers: { 'hx-request': 'true' },
      })
    for (const plugin of ['x', 'linkedin', 'facebook', 'instagram']) {
      const answer = await check(plugin)
      assert.equal(answer.status, 200)
      assert.include(answer.body, 'Works:', plugin)
      assert.include(answer.body, `id="check-result-${plugin}"`)
    }
    fakes.setEnv({ FACEBOOK_APP_SECRET: 'wrong-secret-value-1234' })
    const wrong = await check('facebook')
    assert.include(wrong.body, 'Does not work:')
    assert.include(decode(wrong.body), 'FACEBOOK_APP_SECRET')
    assert.notInclude(wrong.body, 'wrong-secret-value-1234')
    fakes.setEnv({ X_CLIENT_ID: undefined })
    const missing = await check('x')
    assert.include(
      decode(missing.body),
      'X (Twitter) is missing settings: OAuth 2.0 client ID (X_CLIENT_ID).'
    )

    const plain = await agent.submit(page, `/w/${workspace.slug}/accounts/check/linkedin`)
    assert.include(flash(plain, 'success'), 'LinkedIn accepted the client ID and secret')
    assert.lengthOf(await accountsOf(workspace), 0)
  })

  test('admins see the callback URL, scopes and check button on the publisher plugin page', async ({
    assert,
  }) => {
    const { owner } = await memberIn()
    const agent = new (await import('#tests/helpers/web_agent')).WebAgent()
    await agent.signIn(owner.email, 'correct horse battery')
    const page = await agent.visit('/admin/plugins/instagram')
    assert.include(page.body, 'id="oauth-setup"')
    assert.include(page.body, `${appUrl}/oauth/instagram/callback`)
    assert.include(page.body, 'instagram_content_publish')
    const answer = await agent.request('POST', '/admin/plugins/instagram/check', {
      form: { _csrf: csrfOf(page.body) },
      headers: { 'hx-request': 'true' },
    })
    assert.include(answer.body, 'Works:')
    const cloudinary = await agent.visit('/admin/plugins/cloudinary')
    assert.notInclude(cloudinary.body, 'id="oauth-setup"')
    const notPublisher = await agent.request('POST', '/admin/plugins/cloudinary/check', {
      form: { _csrf: csrfOf(page.body) },
    })
    assert.equal(notPublisher.status, 404)
  })
})
