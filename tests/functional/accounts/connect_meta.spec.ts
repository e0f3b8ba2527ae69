import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { FAKE_META_PAGES } from '#tests/fakes/meta'
import { isolateDatabase } from '#tests/helpers/database'
import { PlatformFakes } from '#tests/helpers/platforms'
import { accountsOf, connectFlow, flash, memberIn, tokensOf } from '#tests/helpers/accounts'
import { appUrl } from '#config/app'

const fakes = new PlatformFakes()
const [ACME, BAKERY] = FAKE_META_PAGES

test.group('Accounts: connect Facebook Pages and Instagram business accounts', (group) => {
  isolateDatabase(group)
  fakes.useIn(group)

  test('Facebook: the person picks the Pages to add; each keeps its own non-expiring Page token', async ({
    assert,
  }) => {
    const { workspace, agent } = await memberIn()
    const start = await agent.get(`/w/${workspace.slug}/accounts/connect/facebook`)
    const dialog = new URL(start.headers.get('location')!)
    assert.equal(dialog.pathname, '/v25.0/dialog/oauth')
    assert.equal(
      dialog.searchParams.get('scope'),
      'pages_show_list,pages_read_engagement,pages_manage_posts'
    )
    assert.equal(dialog.searchParams.get('redirect_uri'), `${appUrl}/oauth/facebook/callback`)

    const picker = await agent.follow(start)
    assert.match(
      picker.url.pathname,
      new RegExp(`^/w/${workspace.slug}/accounts/pick/[0-9a-f-]{36}$`)
    )
    assert.include(picker.body, ACME.name)
    assert.include(picker.body, BAKERY.name)
    assert.notInclude(picker.body, ACME.accessToken)
    assert.equal(fakes.meta.exchangeCount, 1, 'the short-lived user token was exchanged')
    assert.lengthOf(await accountsOf(workspace), 0)

    const none = await agent.request('POST', picker.url, {
      form: { _csrf: /name='_csrf' value='([^']+)'/.exec(picker.body)![1] },
    })
    assert.equal(none.status, 422)
    assert.include(none.body, 'Choose at least one account to add.')
    assert.include(none.body, 'aria-describedby="accounts-error"')

    const added = await agent.submit(picker, picker.url.pathname, { 'accounts[]': [BAKERY.id] })
    assert.equal(flash(added, 'success'), 'Added Acme Bakery on Facebook Pages.')
    const [account] = await accountsOf(workspace, 'facebook')
    assert.equal(account.externalId, BAKERY.id)
    assert.isNull(account.tokenExpiresAt)
    const tokens = await tokensOf(account)
    assert.isTrue(fakes.meta.isNonExpiringPageToken(tokens!.accessToken))
    assert.include(added.body, 'Does not expire')
    const left = await db.from('pending_account_connections').count('* as total')
    assert.equal(Number(left[0].total), 0, 'the pending list is deleted once used')

    const reused = await agent.visit(picker.url)
    assert.include(flash(reused, 'error'), 'This list of accounts has expired')
  })

  test('Instagram: business accounts reached through the Pages are offered and added', async ({
    assert,
  }) => {
    const { workspace, agent } = await memberIn()
    const picker = await connectFlow(agent, workspace, 'instagram')
    assert.include(picker.body, '@acmecoffee')
    const added = await agent.submit(picker, picker.url.pathname, {
      'accounts[]': [ACME.igUserId!],
    })
    assert.equal(flash(added, 'success'), 'Added Acme Coffee on Instagram.')
    const [account] = await accountsOf(workspace, 'instagram')
    assert.equal(account.handle, 'acmecoffee')
    assert.includeMembers(account.scopes, ['instagram_basic', 'instagram_content_publish'])
    assert.isTrue(fakes.meta.isNonExpiringPageToken((await tokensOf(account))!.accessToken))
  })

  test('Instagram: no Page with a linked business account is a clear message naming the Pages', async ({
    assert,
  }) => {
    const { workspace, agent } = await memberIn()
    for (const page of fakes.meta.pages) delete page.igUserId
    const page = await connectFlow(agent, workspace, 'instagram')
    assert.equal(page.url.pathname, `/w/${workspace.slug}/accounts`)
    const message = flash(page, 'error')!
    assert.include(message, 'Acme Coffee, Acme Bakery')
    assert.include(message, 'Instagram professional account linked')
    assert.lengthOf(await accountsOf(workspace), 0)
  })

  test('Facebook: cancelled login and declined permissions are clear messages', async ({
    assert,
  }) => {
    const { workspace, agent } = await memberIn()
    fakes.meta.denyConsent()
    const denied = await connectFlow(agent, workspace, 'facebook')
    assert.include(flash(denied, 'error'), 'Facebook Pages says the permission was not given')

    fakes.reset()
    fakes.meta.grantOnly(['pages_show_list', 'pages_read_engagement'])
    const declined = await connectFlow(agent, workspace, 'facebook')
    assert.include(flash(declined, 'error'), 'missing: pages_manage_posts')
    assert.lengthOf(await accountsOf(workspace), 0)
  })

  test('Facebook: reconnecting a Page renews it at once, keeping its id', async ({ assert }) => {
    const { workspace, agent } = await memberIn()
    const picker = await connectFlow(agent, workspace, 'facebook')
    await agent.submit(picker, picker.url.pathname, { 'accounts[]': [ACME.id, BAKERY.id] })
    const [acme] = await accountsOf(workspace, 'facebook')
    await acme.merge({ status: 'needs_reconnect', statusReason: 'Page token revoked.' }).save()

    const page = await agent.visit(`/w/${workspace.slug}/accounts/${acme.id}/reconnect`)
    assert.equal(page.url.pathname, `/w/${workspace.slug}/accounts`)
    assert.equal(
      flash(page, 'success'),
      'Acme Coffee on Facebook Pages is reconnected. Its posts and history are kept.'
    )
    const accounts = await accountsOf(workspace, 'facebook')
    assert.lengthOf(accounts, 2)
    await acme.refresh()
    assert.equal(acme.status, 'active')
    assert.isNull(acme.statusReason)

    fakes.meta.pages = fakes.meta.pages.filter((candidate) => candidate.id !== ACME.id)
    const gone = await agent.visit(`/w/${workspace.slug}/accounts/${acme.id}/reconnect`)
    assert.include(flash(gone, 'error'), 'does not give Herald access to Acme Coffee')
  })
})
