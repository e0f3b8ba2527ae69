import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { realpath, stat } from 'node:fs/promises'
import { isAbsolute, resolve, sep } from 'node:path'
import db from '@adonisjs/lucid/services/db'
import NotFoundException from '#exceptions/not_found_exception'
import { PluginRegistry } from '#plugin_host/registry'
import { PluginSettingsStore } from '#plugin_host/settings_store'
import { secondsLeft, verifySignedMedia } from '#services/signed_media_url'

/** File types served, by extension; anything else is a 404 (never HTML, SVG or scripts). */
const CONTENT_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
}

/** Path segments of letters, digits, dot, dash and underscore, never starting with a dot. */
const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9][A-Za-z0-9_.-]*)*$/

/**
 * Media files of the local-media storage, two ways (docs/architecture.md §8.10):
 * - `/media/<key>` for people: a signed-in user, and a member of the workspace
 *   when the key names one (`w<id>/...`); privately cached.
 * - `/media/s/<expires>/<signature>/<key>` for networks that download media
 *   (Meta): no sign-in, only with a genuine signature and until it expires.
 * Either way keys are checked, the path must stay inside the media folder
 * (also after resolving symlinks), and only media types are served. Anything
 * wrong is a 404 that says nothing.
 */
@inject()
export default class MediaController {
  constructor(
    private registry: PluginRegistry,
    private store: PluginSettingsStore
  ) {}

  async show({ params, response, auth }: HttpContext) {
    const key = ([] as string[]).concat(params['*'] ?? []).join('/')
    const user = auth.getUserOrFail()
    const workspaceId = /^w(\d{1,9})\//.exec(key)?.[1]
    if (workspaceId && !user.isAdmin) {
      const member = await db
        .from('memberships')
        .where({ user_id: user.id, workspace_id: Number(workspaceId) })
        .first()
      if (!member) throw new NotFoundException()
    }
    return this.#serve(key, response, 'private, max-age=31536000, immutable')
  }

  async signed({ params, response }: HttpContext) {
    const key = ([] as string[]).concat(params['*'] ?? []).join('/')
    if (!verifySignedMedia(params.expires, params.signature, key)) throw new NotFoundException()
    return this.#serve(key, response, `public, max-age=${secondsLeft(params.expires)}`)
  }

  async #serve(key: string, response: HttpContext['response'], cacheControl: string) {
    const extension = key.split('.').pop()?.toLowerCase() ?? ''
    const contentType = CONTENT_TYPES[extension]
    const plugin = this.registry.get('local-media')
    if (!plugin || !contentType || key.length > 255 || !SAFE_KEY.test(key)) {
      throw new NotFoundException()
    }

    const { values } = await this.store.resolve(plugin.manifest)
    const directory = values.directory
    if (typeof directory !== 'string' || !isAbsolute(directory)) throw new NotFoundException()
    const path = await this.#inside(resolve(directory), key)

    response.header('Content-Type', contentType)
    response.header('Cache-Control', cacheControl)
    response.header('X-Content-Type-Options', 'nosniff')
    response.header('Content-Security-Policy', "default-src 'none'; sandbox")
    return response.download(path, true)
  }

  /** The real path of the key's file, when it is a file inside the folder. */
  async #inside(root: string, key: string): Promise<string> {
    try {
      const [realRoot, realPath] = await Promise.all([realpath(root), realpath(resolve(root, key))])
      const info = await stat(realPath)
      if (!realPath.startsWith(realRoot + sep) || !info.isFile()) {
        throw new NotFoundException()
      }
      return realPath
    } catch {
      throw new NotFoundException()
    }
  }
}
