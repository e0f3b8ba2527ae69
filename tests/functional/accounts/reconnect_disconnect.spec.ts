import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import AuditEvent from '#models/audit_event'
import Post from '#models/post'
import PostTarget from '#models/post_target'
import { isolateDatabase } from '#tests/helpers/database'
import { PlatformFakes } from '#tests/helpers/platforms'
import { accountsOf, connectFlow, flash, memberIn, tokensOf } from '#tests/helpers/accounts'
import { csrfOf } from '#tests/helpers/web_agent'
import { FAKE_META_PAGES } from '#tests/fakes/meta'

const fakes = new PlatformFakes()

test.group('Accounts: reconnect and disconnect', (group) => {
  isolateDatabase(group)
  fakes.useIn(group)

  test('reconnect keeps the account id, its posts and history; the account is active again', async ({
    assert,
  }) => {
    const { workspace, agent, user } = await memberIn()
    await connectFlow(agent, workspace, 'x')
    const [account] = await accountsOf(workspace)
    const old = await tokensOf(account)
    const post = await Post.create({
      workspaceId: workspace.id,
      authorId: user.id,
      baseText: 'Hello',
    })
    await PostTarget.create({
      postId: post.id,
      workspaceId: workspace.id,
      socialAccountId: account.id,
      pluginId: 'x',
      status: 'scheduled',
    })
    fakes.x.revokeAll()
    await account
      .merge({ status: 'needs_reconnect', statusReason: 'X refused to renew access.' })
      .save()

    const page = await agent.visit(`/w/${workspace.slug}/accounts/${account.id}/reconnect`)
    assert.equal(
      flash(page, 'success'),
      'Herald Studio on X (Twitter) is reconnected. Its posts and history are kept.'
    )
    const accounts = await accountsOf(workspace)
    assert.lengthOf(accounts, 1)
    assert.equal(accounts[0].id, account.id)
    assert.equal(accounts[0].status, 'active')
    assert.isNull(accounts[0].statusReason)
    const fresh = await tokensOf(accounts[0])
    assert.notEqual(fresh!.accessToken, old!.accessToken)
    assert.isTrue(fakes.x.isTokenValid(fresh!.accessToken))
    const target = await PostTarget.findByOrFail('post_id', post.id)
    assert.equal(target.socialAccountId, account.id)
    const event = await AuditEvent.query().where('action', 'account.reconnected').firstOrFail()
    assert.equal(event.meta.was, 'needs_reconnect')
  })

  test('reconnecting as a different platform user changes nothing and says why', async ({
    assert,
  }) => {
    const { workspace, agent } = await memberIn()
    await connectFlow(agent, workspace, 'x')
    const [account] = await accountsOf(workspace)
    const before = await tokensOf(account)
    fakes.x.addUser({
      id: '999000111',
      username: 'someoneelse',
      name: 'Someone Else',
      profileImageUrl: 'https://pbs.twimg.com/profile_images/2/else_normal.jpg',
    })
    fakes.x.consentAs('999000111')
    const page = await agent.visit(`/w/${workspace.slug}/accounts/${account.id}/reconnect`)
    const message = flash(page, 'error')!
    assert.include(message, 'You signed in to X (Twitter) as Someone Else (someoneelse)')
    assert.include(message, 'the account to reconnect is Herald Studio (heraldstudio)')
    const accounts = await accountsOf(workspace)
    assert.lengthOf(accounts, 1)
    assert.equal((await tokensOf(accounts[0]))!.accessToken, before!.accessToken)
  })

  test('disconnect revokes at the platform, deletes the tokens and keeps the row disabled', async ({
    assert,
  }) => {
    const { workspace, agent, user } = await memberIn()
    const page = await connectFlow(agent, workspace, 'x')
    const [account] = await accountsOf(workspace)
    const tokens = await tokensOf(account)
    const post = await Post.create({
      workspaceId: workspace.id,
      authorId: user.id,
      baseText: 'Old news',
    })
    await PostTarget.create({
      postId: post.id,
      workspaceId: workspace.id,
      socialAccountId: account.id,
      pluginId: 'x',
      status: 'published',
      publishedAt: DateTime.now(),
    })

    const done = await agent.submit(
      page,
      `/w/${workspace.slug}/accounts/${account.id}?_method=DELETE`
    )
    assert.equal(
      flash(done, 'success'),
      'Herald Studio is disconnected. Its past posts stay readable in Herald.'
    )
    assert.lengthOf(fakes.x.requestsTo('revoke'), 2)
    assert.isFalse(fakes.x.isTokenValid(tokens!.accessToken))
    assert.isFalse(fakes.x.isTokenValid(tokens!.refreshToken!))
    await account.refresh()
    assert.equal(account.status, 'disabled')
    assert.isNotNull(account.disconnectedAt)
    assert.isNull(await tokensOf(account))
    const secrets = await db.from('account_secrets').where('social_account_id', account.id)
    assert.lengthOf(secrets, 0)
    assert.include(done.body, 'id="disconnected-accounts"')
    assert.exists(await PostTarget.findBy('post_id', post.id))

    const again = await connectFlow(agent, workspace, 'x')
    assert.include(flash(again, 'success'), 'is reconnected')
    const accounts = await accountsOf(workspace)
    assert.lengthOf(accounts, 1)
    assert.equal(accounts[0].status, 'active')
  })

  test('a revocation that fails still deletes the tokens and says what to do', async ({
    assert,
  }) => {
    const { workspace, agent } = await memberIn()
    const page = await connectFlow(agent, workspace, 'linkedin')
    const [account] = await accountsOf(workspace)
    fakes.linkedin.fail(503, { route: 'revoke' })
    const done = await agent.submit(
      page,
      `/w/${workspace.slug}/accounts/${account.id}?_method=DELETE`
    )
    assert.include(flash(done, 'error'), 'LinkedIn could not be asked to revoke')
    assert.include(flash(done, 'error'), 'remove Herald from the connected apps')
    await account.refresh()
    assert.equal(account.status, 'disabled')
    assert.isNull(await tokensOf(account))
  })

  test('Facebook Pages have no revocation: the Page token is deleted', async ({ assert }) => {
    const { workspace, agent } = await memberIn()
    const picker = await connectFlow(agent, workspace, 'facebook')
    const added = await agent.submit(picker, picker.url.pathname, {
      'accounts[]': [FAKE_META_PAGES[0].id],
    })
    const [account] = await accountsOf(workspace)
    const done = await agent.request(
      'POST',
      `/w/${workspace.slug}/accounts/${account.id}?_method=DELETE`,
      {
        form: { _csrf: csrfOf(added.body) },
      }
    )
    assert.equal(done.status, 302)
    await account.refresh()
    assert.equal(account.status, 'disabled')
    assert.isNull(await tokensOf(account))
  })
})
