import { test } from '@japa/runner'
import Membership from '#models/membership'
import { isolateDatabase } from '#tests/helpers/database'
import { addMember, createUser, createWorkspace } from '#tests/helpers/factories'

test.group('Workspace members', (group) => {
  isolateDatabase(group)
  /** Setup is done: an admin exists (other users below are plain staff) */
  group.each.setup(async () => {
    await createUser({ isAdmin: true, email: `admin-${Date.now()}@agency.test` })
  })

  test('the owner adds a colleague by email with a role', async ({ client, assert }) => {
    const owner = await createUser()
    const colleague = await createUser({ email: 'kim@agency.test' })
    const workspace = await createWorkspace(owner)
    const response = await client
      .post(`/w/${workspace.slug}/members`)
      .loginAs(owner)
      .withCsrfToken()
      .form({ email: 'kim@agency.test', role: 'approver' })
      .redirects(0)
    response.assertStatus(302)
    const membership = await Membership.query()
      .where({ workspaceId: workspace.id, userId: colleague.id })
      .firstOrFail()
    assert.equal(membership.role, 'approver')
  })

  test('an unknown email or role is a 422 naming the field', async ({ client, assert }) => {
    const owner = await createUser()
    const workspace = await createWorkspace(owner)
    const unknown = await client
      .post(`/w/${workspace.slug}/members`)
      .loginAs(owner)
      .withCsrfToken()
      .form({ email: 'nobody@agency.test', role: 'editor' })
    unknown.assertStatus(422)
    assert.include(unknown.text(), 'No Herald user has this email address')

    const badRole = await client
      .post(`/w/${workspace.slug}/members`)
      .loginAs(owner)
      .withCsrfToken()
      .form({ email: 'nobody@agency.test', role: 'emperor' })
    badRole.assertStatus(422)
    assert.include(badRole.text(), 'field-role-error')
  })

  test('the last owner can be neither demoted nor removed', async ({ client, assert }) => {
    const owner = await createUser()
    const workspace = await createWorkspace(owner)
    const membership = await Membership.query()
      .where({ workspaceId: workspace.id, userId: owner.id })
      .firstOrFail()

    await client
      .put(`/w/${workspace.slug}/members/${membership.id}`)
      .loginAs(owner)
      .withCsrfToken()
      .form({ role: 'viewer' })
    await membership.refresh()
    assert.equal(membership.role, 'owner')

    await client
      .delete(`/w/${workspace.slug}/members/${membership.id}`)
      .loginAs(owner)
      .withCsrfToken()
    assert.exists(await Membership.find(membership.id))
  })

  test('an editor cannot manage members', async ({ client, assert }) => {
    const owner = await createUser()
    const editor = await createUser()
    const workspace = await createWorkspace(owner)
    await addMember(workspace, editor, 'editor')
    ;(await client.get(`/w/${workspace.slug}/members`).loginAs(editor)).assertStatus(200)
    const response = await client
      .post(`/w/${workspace.slug}/members`)
      .loginAs(editor)
      .withCsrfToken()
      .form({ email: editor.email, role: 'owner' })
      .header('hx-request', 'true')
    response.assertStatus(403)
    const membership = await Membership.query()
      .where({ workspaceId: workspace.id, userId: editor.id })
      .firstOrFail()
    assert.equal(membership.role, 'editor')
  })
})
