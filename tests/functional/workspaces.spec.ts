import { test } from '@japa/runner'
import Workspace from '#models/workspace'
import AuditEvent from '#models/audit_event'
import { isolateDatabase } from '#tests/helpers/database'
import { addMember, createUser, createWorkspace } from '#tests/helpers/factories'

test.group('Workspaces', (group) => {
  isolateDatabase(group)
  /** Setup is done: an admin exists (other users below are plain staff) */
  group.each.setup(async () => {
    await createUser({ isAdmin: true, email: `admin-${Date.now()}@agency.test` })
  })

  test('an admin creates a workspace and becomes its owner', async ({ client, assert }) => {
    const admin = await createUser({ isAdmin: true })
    const response = await client
      .post('/workspaces')
      .loginAs(admin)
      .withCsrfToken()
      .form({ name: 'Acme Coffee', timezone: 'Europe/Berlin', brandTone: 'warm' })
      .redirects(0)
    response.assertStatus(302)
    response.assertHeader('location', '/w/acme-coffee')

    const workspace = await Workspace.findByOrFail('slug', 'acme-coffee')
    await workspace.load('memberships')
    assert.equal(workspace.memberships[0].role, 'owner')
    assert.equal(workspace.memberships[0].userId, admin.id)
    assert.exists(await AuditEvent.findBy('action', 'workspace.created'))

    const page = await client.get('/w/acme-coffee').loginAs(admin)
    page.assertStatus(200)
    page.assertTextIncludes('Europe/Berlin, UTC+01:00')
  })

  test('a second workspace with the same name gets a free slug', async ({ client }) => {
    const admin = await createUser({ isAdmin: true })
    await createWorkspace(admin, { name: 'Acme Coffee' })
    const response = await client
      .post('/workspaces')
      .loginAs(admin)
      .withCsrfToken()
      .form({ name: 'Acme Coffee', timezone: 'UTC' })
      .redirects(0)
    response.assertHeader('location', '/w/acme-coffee-2')
  })

  test('an invalid timezone gets 422 with the field named and input kept', async ({
    client,
    assert,
  }) => {
    const admin = await createUser({ isAdmin: true })
    const response = await client
      .post('/workspaces')
      .loginAs(admin)
      .withCsrfToken()
      .form({ name: 'Acme Coffee', timezone: 'Mars/Olympus_Mons' })
    response.assertStatus(422)
    const html = response.text()
    assert.include(html, 'Choose a valid IANA timezone')
    assert.include(html, 'id="field-timezone-error"')
    assert.include(html, 'value="Acme Coffee"')
    assert.include(html, 'value="Mars/Olympus_Mons"')
    assert.isNull(await Workspace.findBy('name', 'Acme Coffee'))
  })

  test('an htmx request gets only the form fragment, with Vary: HX-Request', async ({
    client,
    assert,
  }) => {
    const admin = await createUser({ isAdmin: true })
    const full = await client.get('/workspaces/new').loginAs(admin)
    full.assertStatus(200)
    assert.include(full.text(), '<!DOCTYPE html>')
    assert.include(full.header('vary'), 'HX-Request')

    const fragment = await client.get('/workspaces/new').loginAs(admin).header('hx-request', 'true')
    fragment.assertStatus(200)
    assert.notInclude(fragment.text(), '<!DOCTYPE html>')
    assert.include(fragment.text(), 'id="workspace-form"')
    assert.include(fragment.header('vary'), 'HX-Request')

    const invalid = await client
      .post('/workspaces')
      .loginAs(admin)
      .header('hx-request', 'true')
      .withCsrfToken()
      .form({ name: '', timezone: 'UTC' })
    invalid.assertStatus(422)
    assert.notInclude(invalid.text(), '<!DOCTYPE html>')
    assert.include(invalid.text(), 'Enter name.')
  })

  test('only admins create workspaces', async ({ client }) => {
    const user = await createUser()
    ;(await client.get('/workspaces/new').loginAs(user)).assertStatus(404)
    const response = await client
      .post('/workspaces')
      .loginAs(user)
      .withCsrfToken()
      .form({ name: 'Sneaky', timezone: 'UTC' })
    response.assertStatus(404)
  })

  test('a non-member gets 404 on every URL of another workspace', async ({ client }) => {
    const owner = await createUser()
    const outsider = await createUser()
    const theirs = await createWorkspace(owner, { name: 'Their Client' })
    await createWorkspace(outsider, { name: 'My Client' })
    await theirs.load('memberships')
    const membershipId = theirs.memberships[0].id

    for (const url of [
      `/w/${theirs.slug}`,
      `/w/${theirs.slug}/settings`,
      `/w/${theirs.slug}/members`,
      '/w/no-such-client',
    ]) {
      ;(await client.get(url).loginAs(outsider)).assertStatus(404)
    }
    const update = await client
      .put(`/w/${theirs.slug}/settings`)
      .loginAs(outsider)
      .withCsrfToken()
      .form({ name: 'Hijacked', timezone: 'UTC' })
    update.assertStatus(404)
    const remove = await client
      .delete(`/w/${theirs.slug}/members/${membershipId}`)
      .loginAs(outsider)
      .withCsrfToken()
    remove.assertStatus(404)
  })

  test('a member id of another workspace is a 404, even for an owner', async ({
    client,
    assert,
  }) => {
    const owner = await createUser()
    const mine = await createWorkspace(owner, { name: 'Mine' })
    const other = await createWorkspace(await createUser(), { name: 'Other' })
    await other.load('memberships')
    const response = await client
      .delete(`/w/${mine.slug}/members/${other.memberships[0].id}`)
      .loginAs(owner)
      .withCsrfToken()
    response.assertStatus(404)
    await other.load('memberships')
    assert.lengthOf(other.memberships, 1)
  })

  test('a viewer sees the workspace but cannot change its settings', async ({ client, assert }) => {
    const owner = await createUser()
    const viewer = await createUser()
    const workspace = await createWorkspace(owner, { name: 'Viewed' })
    await addMember(workspace, viewer, 'viewer')

    ;(await client.get(`/w/${workspace.slug}`).loginAs(viewer)).assertStatus(200)
    ;(await client.get(`/w/${workspace.slug}/settings`).loginAs(viewer)).assertStatus(403)
    const update = await client
      .put(`/w/${workspace.slug}/settings`)
      .loginAs(viewer)
      .withCsrfToken()
      .form({ name: 'Renamed', timezone: 'UTC' })
      .redirects(0)
    update.assertStatus(302)
    const htmxUpdate = await client
      .put(`/w/${workspace.slug}/settings`)
      .loginAs(viewer)
      .header('hx-request', 'true')
      .withCsrfToken()
      .form({ name: 'Renamed', timezone: 'UTC' })
    htmxUpdate.assertStatus(403)
    htmxUpdate.assertTextIncludes('Only the workspace owner can change its settings.')
    await workspace.refresh()
    assert.equal(workspace.name, 'Viewed')
  })

  test('the owner edits brand voice and settings', async ({ client, assert }) => {
    const owner = await createUser()
    const workspace = await createWorkspace(owner, { name: 'Brand' })
    const response = await client
      .put(`/w/${workspace.slug}/settings`)
      .loginAs(owner)
      .withCsrfToken()
      .form({
        name: 'Brand Co',
        timezone: 'America/New_York',
        color: '#123abc',
        brandTone: 'Direct',
        bannedWords: 'cheap, free ,cheap',
        defaultHashtags: '#coffee\n#nyc',
        monthlyAiBudgetUsd: '25.50',
        requiresApproval: 'true',
      })
      .redirects(0)
    response.assertStatus(302)
    await workspace.refresh()
    assert.equal(workspace.name, 'Brand Co')
    assert.equal(workspace.timezone, 'America/New_York')
    assert.deepEqual(workspace.bannedWords, ['cheap', 'free'])
    assert.deepEqual(workspace.defaultHashtags, ['#coffee', '#nyc'])
    assert.equal(workspace.monthlyAiBudgetUsd, 25.5)
    assert.isTrue(workspace.requiresApproval)
  })

  test('archive hides a workspace from the dashboard; restore brings it back', async ({
    client,
    assert,
  }) => {
    const owner = await createUser()
    const workspace = await createWorkspace(owner, { name: 'Seasonal Client' })
    ;(
      await client.post(`/w/${workspace.slug}/archive`).loginAs(owner).withCsrfToken().redirects(0)
    ).assertStatus(302)
    await workspace.refresh()
    assert.isTrue(workspace.isArchived)

    const active = await client.get('/').loginAs(owner)
    assert.notInclude(active.text(), 'Seasonal Client</span>')
    const archived = await client.get('/?archived=1').loginAs(owner)
    assert.include(archived.text(), 'Seasonal Client')

    await client.post(`/w/${workspace.slug}/restore`).loginAs(owner).withCsrfToken()
    await workspace.refresh()
    assert.isFalse(workspace.isArchived)
  })
})
