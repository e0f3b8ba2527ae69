import { test } from '@japa/runner'
import { appUrl } from '#config/app'
import {
  signedMediaPath,
  signedMediaUrl,
  SIGNED_MEDIA_TTL_MS,
  verifySignedMedia,
} from '#services/signed_media_url'
import { isPublicUrl } from '#publishing/public_host'
import { isolateDatabase } from '#tests/helpers/database'
import { addMember, createUser, createWorkspace } from '#tests/helpers/factories'
import { storeRealImage } from '#tests/helpers/media'

/**
 * Herald's own media files (docs/architecture.md §8.12): networks that
 * download media get signed, expiring URLs that work without sign-in; the
 * plain `/media/<key>` path is for signed-in members of the workspace.
 */
test.group('Signed media URLs', (group) => {
  isolateDatabase(group)

  test('a signed URL serves the file without sign-in until it expires', async ({
    client,
    assert,
  }) => {
    const owner = await createUser()
    const workspace = await createWorkspace(owner)
    const image = await storeRealImage(workspace, { mime: 'image/jpeg', width: 40, height: 30 })
    const url = signedMediaUrl(image.storageKey)
    assert.isTrue(url.startsWith(`${appUrl}/media/s/`))

    const served = await client.get(url.slice(appUrl.length))
    served.assertStatus(200)
    served.assertHeader('content-type', 'image/jpeg')
    const maxAge = Number(/max-age=(\d+)/.exec(served.header('cache-control') ?? '')![1])
    assert.isAtMost(maxAge, SIGNED_MEDIA_TTL_MS / 1000)
    assert.isAbove(maxAge, SIGNED_MEDIA_TTL_MS / 1000 - 60)
    assert.include(served.header('cache-control') ?? '', 'public')
  })

  test('expired, tampered, re-keyed or malformed signatures are a plain 404', async ({
    client,
    assert,
  }) => {
    const owner = await createUser()
    const workspace = await createWorkspace(owner)
    const image = await storeRealImage(workspace, { mime: 'image/jpeg', width: 40, height: 30 })
    const other = await storeRealImage(workspace, { mime: 'image/jpeg', width: 40, height: 30 })
    const expired = signedMediaPath(image.storageKey, new Date(Date.now() - 1000))
    const valid = signedMediaPath(image.storageKey, new Date(Date.now() + 600_000))
    const [, , , expires, signature] = valid.split('/')
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`
    const later = String(Number(expires) + 3600)
    for (const path of [
      expired,
      `/media/s/${expires}/${flipped}/${image.storageKey}`,
      `/media/s/${later}/${signature}/${image.storageKey}`,
      `/media/s/${expires}/${signature}/${other.storageKey}`,
      `/media/s/${expires}/short/${image.storageKey}`,
      `/media/s/not-a-time/${signature}/${image.storageKey}`,
    ]) {
      const response = await client.get(path)
      response.assertStatus(404)
      assert.notEqual(response.header('content-type'), 'image/jpeg', path)
    }
    assert.isTrue(verifySignedMedia(expires, signature, image.storageKey))
    assert.isFalse(
      verifySignedMedia(expires, signature, image.storageKey, new Date(Number(later) * 1000))
    )
  })

  test('/media/<key> needs a signed-in member of the workspace (an admin may see all)', async ({
    client,
    assert,
  }) => {
    const owner = await createUser()
    const workspace = await createWorkspace(owner)
    const member = await createUser()
    await addMember(workspace, member, 'editor')
    const stranger = await createUser()
    const admin = await createUser({ isAdmin: true })
    const image = await storeRealImage(workspace, { mime: 'image/png', width: 40, height: 30 })
    const path = `/media/${image.storageKey}`

    const anonymous = await fetch(`${appUrl}${path}`, { redirect: 'manual' })
    assert.equal(anonymous.status, 302, 'to the sign-in page')
    ;(await client.get(path).loginAs(owner)).assertStatus(200)
    ;(await client.get(path).loginAs(member)).assertStatus(200)
    ;(await client.get(path).loginAs(admin)).assertStatus(200)
    ;(await client.get(path).loginAs(stranger)).assertStatus(404)
  })

  test('which APP_URL hosts count as reachable from the internet', ({ assert }) => {
    for (const url of [
      'http://localhost:3333',
      'http://127.0.0.1:3333',
      'http://10.0.0.5',
      'http://172.20.1.1',
      'http://192.168.1.10:8080',
      'http://169.254.1.1',
      'http://[::1]:3333',
      'http://[fd00::1]',
      'http://herald',
      'http://herald.local',
      'http://herald.internal',
      'not a url',
    ]) {
      assert.isFalse(isPublicUrl(url), url)
    }
    for (const url of [
      'https://herald.acme-agency.com',
      'http://203.0.113.7',
      'https://[2001:db8::1]',
    ]) {
      assert.isTrue(isPublicUrl(url), url)
    }
  })
})
