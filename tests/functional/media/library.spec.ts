import { access, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import sharp from 'sharp'
import MediaAsset from '#models/media_asset'
import Post from '#models/post'
import PostTarget from '#models/post_target'
import SocialAccount from '#models/social_account'
import type Workspace from '#models/workspace'
import type User from '#models/user'
import { isolateDatabase } from '#tests/helpers/database'
import { addMember, createUser, createWorkspace } from '#tests/helpers/factories'
import { useFakeOpenRouter } from '#tests/helpers/ai'

/**
 * The media library of a workspace: uploads checked by their content (type by
 * magic bytes, size, dimensions), stored by the local-media plugin, alt text,
 * delete refused while a post still to go out uses the image.
 */
const fixtures = app.makePath('tmp/media-fixtures')

async function fixture(name: string, bytes: Buffer) {
  const { mkdir } = await import('node:fs/promises')
  await mkdir(fixtures, { recursive: true })
  const path = join(fixtures, name)
  await writeFile(path, bytes)
  return path
}

const png = () =>
  sharp({ create: { width: 120, height: 80, channels: 3, background: '#e0533d' } })
    .png()
    .toBuffer()

async function upload(client: any, user: User, workspace: Workspace, path: string, alt = '') {
  return client
    .post(`/w/${workspace.slug}/media`)
    .loginAs(user)
    .withCsrfToken()
    .header('hx-request', 'true')
    .file('file', path)
    .field('uploadAltText', alt)
}

async function exists(path: string) {
  return access(path).then(
    () => true,
    () => false
  )
}

async function scheduledPostWith(
  workspace: Workspace,
  user: User,
  status: PostTarget['status'],
  media: { base?: number[]; override?: number[] }
) {
  const account = await SocialAccount.create({
    workspaceId: workspace.id,
    pluginId: 'x',
    externalId: `acct-${Date.now()}-${Math.random()}`,
    displayName: 'Acme on X',
    handle: 'acme',
    scopes: [],
    meta: {},
    status: 'active',
    connectedAt: (await import('luxon')).DateTime.now(),
    connectedById: user.id,
  })
  const post = await Post.create({
    workspaceId: workspace.id,
    authorId: user.id,
    baseText: 'Spring!',
  })
  for (const [position, id] of (media.base ?? []).entries()) {
    await db.table('post_media').insert({ post_id: post.id, media_asset_id: id, position })
  }
  await PostTarget.create({
    postId: post.id,
    workspaceId: workspace.id,
    socialAccountId: account.id,
    pluginId: 'x',
    status,
    overrideParts: media.override ? [{ text: 'Spring on X', mediaIds: media.override }] : null,
    publishedParts: [],
    preflight: [],
  })
  return post
}

test.group('Media library', (group) => {
  isolateDatabase(group)
  const { mediaDir } = useFakeOpenRouter(group)

  test('an upload is checked by its content, stored and listed with its size', async ({
    client,
    assert,
  }) => {
    const owner = await createUser({ isAdmin: true })
    const workspace = await createWorkspace(owner)
    const bytes = await png()
    const response = await upload(
      client,
      owner,
      workspace,
      await fixture('menu.png', bytes),
      'The spring menu'
    )
    response.assertStatus(200)
    assert.include(response.text(), 'The image was added to the library.')

    const asset = await MediaAsset.query().where('workspace_id', workspace.id).firstOrFail()
    assert.equal(asset.source, 'upload')
    assert.equal(asset.mime, 'image/png')
    assert.deepEqual([asset.width, asset.height, asset.bytes], [120, 80, bytes.length])
    assert.equal(asset.altText, 'The spring menu')
    assert.equal(asset.originalName, 'menu.png')
    assert.equal(asset.createdById, owner.id)
    assert.isTrue((await readFile(join(mediaDir, asset.storageKey))).equals(bytes))
    assert.include(response.text(), `id="media-${asset.id}"`)
    assert.include(response.text(), '120×80')

    const refused = await upload(
      client,
      owner,
      workspace,
      await fixture('x.png', Buffer.from('no')),
      'typed'
    )
    refused.assertStatus(422)
    assert.include(refused.text(), 'value="typed"', 'the upload form keeps its alt text')
    assert.include(refused.text(), 'value="The spring menu"', 'each tile keeps its own')

    const served = await client.get(`/media/${asset.storageKey}`).loginAs(owner)
    served.assertStatus(200)
    assert.equal(served.header('content-type'), 'image/png')
    assert.match(asset.storageKey, new RegExp(`^w${workspace.id}/`))
    const stranger = await createUser()
    ;(await client.get(`/media/${asset.storageKey}`).loginAs(stranger)).assertStatus(404)

    const gif = await sharp({ create: { width: 3, height: 2, channels: 3, background: '#000' } })
      .gif()
      .toBuffer()
    ;(await upload(client, owner, workspace, await fixture('loop.gif', gif))).assertStatus(200)
    const webp = await sharp(bytes).webp().toBuffer()
    ;(await upload(client, owner, workspace, await fixture('menu.webp', webp))).assertStatus(200)
    const jpeg = await sharp(bytes).jpeg().toBuffer()
    ;(await upload(client, owner, workspace, await fixture('menu.jpg', jpeg))).assertStatus(200)
    const mimes = await MediaAsset.query().where('workspace_id', workspace.id).orderBy('id')
    assert.deepEqual(
      mimes.map((item) => item.mime),
      ['image/png', 'image/gif', 'image/webp', 'image/jpeg']
    )
  })

  test('a file that is not an image, a damaged one or one over 10 MB gets a 422 that says why', async ({
    client,
    assert,
  }) => {
    const owner = await createUser({ isAdmin: true })
    const workspace = await createWorkspace(owner)
    const cases: [string, Buffer, string][] = [
      [
        'notes.png',
        Buffer.from('just some text, named like an image'),
        'not a JPEG, PNG, WebP or GIF',
      ],
      [
        'broken.png',
        Buffer.concat([
          Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
          Buffer.alloc(20),
        ]),
        'damaged or incomplete',
      ],
      ['vector.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'), 'not a JPEG'],
      ['huge.png', Buffer.alloc(10 * 1024 * 1024 + 1, 1), 'images may be at most 10 MB'],
    ]
    for (const [name, bytes, words] of cases) {
      const response = await upload(
        client,
        owner,
        workspace,
        await fixture(name, bytes),
        'kept alt'
      )
      response.assertStatus(422)
      assert.include(response.text(), words)
      assert.include(response.text(), 'id="media-file-error"')
      assert.include(response.text(), 'value="kept alt"', 'the alt text typed is kept')
    }
    const missing = await client
      .post(`/w/${workspace.slug}/media`)
      .loginAs(owner)
      .withCsrfToken()
      .header('hx-request', 'true')
      .form({ uploadAltText: 'x' })
    missing.assertStatus(422)
    assert.include(missing.text(), 'Choose an image to upload.')
    assert.lengthOf(await MediaAsset.query().where('workspace_id', workspace.id), 0)
  })

  test('alt text is saved; delete removes the record and the file', async ({ client, assert }) => {
    const owner = await createUser({ isAdmin: true })
    const workspace = await createWorkspace(owner)
    await upload(client, owner, workspace, await fixture('a.png', await png()))
    const asset = await MediaAsset.query().where('workspace_id', workspace.id).firstOrFail()

    const saved = await client
      .put(`/w/${workspace.slug}/media/${asset.id}`)
      .loginAs(owner)
      .withCsrfToken()
      .header('hx-request', 'true')
      .form({ altText: 'Rhubarb buns on a plate' })
    saved.assertStatus(200)
    assert.include(saved.text(), 'Saved')
    await asset.refresh()
    assert.equal(asset.altText, 'Rhubarb buns on a plate')

    const file = join(mediaDir, asset.storageKey)
    assert.isTrue(await exists(file))
    const deleted = await client
      .delete(`/w/${workspace.slug}/media/${asset.id}`)
      .loginAs(owner)
      .withCsrfToken()
      .header('hx-request', 'true')
    deleted.assertStatus(200)
    assert.isNull(await MediaAsset.find(asset.id))
    assert.isFalse(await exists(file))
  })

  test('delete is refused while a post still to go out uses the image, as base media or in a variant', async ({
    client,
    assert,
  }) => {
    const owner = await createUser({ isAdmin: true })
    const workspace = await createWorkspace(owner)
    for (const name of ['base.png', 'variant.png', 'done.png']) {
      await upload(client, owner, workspace, await fixture(name, await png()))
    }
    const [base, variant, done] = await MediaAsset.query()
      .where('workspace_id', workspace.id)
      .orderBy('id')
    await scheduledPostWith(workspace, owner, 'scheduled', { base: [base.id] })
    await scheduledPostWith(workspace, owner, 'retrying', { override: [variant.id] })
    await scheduledPostWith(workspace, owner, 'published', { base: [done.id], override: [done.id] })

    const library = await client.get(`/w/${workspace.slug}/media`).loginAs(owner)
    assert.equal(library.text().split('In a scheduled post').length - 1, 2)

    for (const asset of [base, variant]) {
      const refused = await client
        .delete(`/w/${workspace.slug}/media/${asset.id}`)
        .loginAs(owner)
        .withCsrfToken()
        .header('hx-request', 'true')
      refused.assertStatus(409)
      assert.include(refused.text(), 'used by a scheduled post, so it cannot be deleted')
      assert.isNotNull(await MediaAsset.find(asset.id))
    }
    const allowed = await client
      .delete(`/w/${workspace.slug}/media/${done.id}`)
      .loginAs(owner)
      .withCsrfToken()
      .header('hx-request', 'true')
    allowed.assertStatus(200)
    assert.isNull(await MediaAsset.find(done.id))
  })

  test('ids are scoped to the workspace; viewers look but do not change', async ({
    client,
    assert,
  }) => {
    const owner = await createUser({ isAdmin: true })
    const workspace = await createWorkspace(owner)
    const other = await createWorkspace(owner, { name: 'Other Client' })
    await upload(client, owner, other, await fixture('theirs.png', await png()))
    const theirs = await MediaAsset.query().where('workspace_id', other.id).firstOrFail()

    const put = await client
      .put(`/w/${workspace.slug}/media/${theirs.id}`)
      .loginAs(owner)
      .withCsrfToken()
      .form({ altText: 'hijack' })
    put.assertStatus(404)
    const remove = await client
      .delete(`/w/${workspace.slug}/media/${theirs.id}`)
      .loginAs(owner)
      .withCsrfToken()
    remove.assertStatus(404)
    const listing = await client.get(`/w/${workspace.slug}/media`).loginAs(owner)
    assert.notInclude(listing.text(), `id="media-${theirs.id}"`)
    assert.include(listing.text(), 'No images yet')

    const viewer = await createUser()
    await addMember(other, viewer, 'viewer')
    const page = await client.get(`/w/${other.slug}/media`).loginAs(viewer)
    page.assertStatus(200)
    assert.include(page.text(), `id="media-${theirs.id}"`)
    assert.notInclude(page.text(), 'Upload image')
    const denied = await client
      .delete(`/w/${other.slug}/media/${theirs.id}`)
      .loginAs(viewer)
      .withCsrfToken()
      .header('hx-request', 'true')
    denied.assertStatus(403)
    assert.include(denied.text(), 'Viewers and approvers cannot edit posts.')
    assert.isNotNull(await MediaAsset.find(theirs.id))
  })
})
