import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises'
import { dirname, extname, isAbsolute, resolve, sep } from 'node:path'
import {
  definePlugin,
  Permanent,
  Transient,
  type MediaStorage,
  type PluginContext,
} from '@herald/plugin-sdk'
import { imageSize } from './image_size.js'

/** Settings of the local disk storage. */
export type LocalMediaSettings = {
  /** Absolute folder files are written to. */
  directory: string
  /** Public URL the folder is served at (Herald's /media route). */
  publicBaseUrl: string
}

/** Media types stored, with their file extensions (the first is used when the key has none). */
export const MEDIA_TYPES: Readonly<Record<string, readonly string[]>> = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'image/avif': ['avif'],
  'video/mp4': ['mp4'],
  'video/quicktime': ['mov'],
  'video/webm': ['webm'],
}

/**
 * Keys are relative paths of safe segments: letters, digits, dot, dash and underscore, never starting
 * with a dot (no `..`, no hidden files, no absolute paths, no backslashes).
 */
const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9][A-Za-z0-9_.-]*)*$/
const MAX_KEY = 255

function checkKey(key: string): void {
  if (key.length > MAX_KEY || !SAFE_KEY.test(key) || key.split('/').includes('..')) {
    throw new Permanent('This file name cannot be stored.', {
      code: 'unsafe_key',
      platformMessage: `unsafe storage key: ${JSON.stringify(key.slice(0, 80))}`,
    })
  }
}

/** The absolute path of a key inside the folder; refuses anything that would land outside it. */
function pathOf(ctx: PluginContext<LocalMediaSettings>, key: string): string {
  checkKey(key)
  if (!isAbsolute(ctx.settings.directory)) {
    throw new Permanent('The media folder is not configured correctly.', {
      code: 'config',
      platformMessage: 'directory must be an absolute path',
    })
  }
  const root = resolve(ctx.settings.directory)
  const path = resolve(root, key)
  if (!path.startsWith(root + sep)) throw new Permanent('This file name cannot be stored.')
  return path
}

/** The key with an extension that matches the media type. */
function keyFor(key: string, mime: string): string {
  const extensions = MEDIA_TYPES[mime]
  if (!extensions) {
    throw new Permanent(`Files of type ${mime} cannot be stored on the local disk.`, {
      code: 'unsupported_type',
    })
  }
  const current = extname(key).slice(1).toLowerCase()
  return extensions.includes(current) ? key : `${key}.${extensions[0]}`
}

/** Errors that need someone to fix the folder (permissions, a file where a folder should be). */
const FOLDER_PROBLEMS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'EISDIR'])

/** Disk failures: folder problems are permanent, the rest (disk full, I/O) may pass. */
function diskError(error: unknown): Error {
  const code = (error as NodeJS.ErrnoException)?.code
  if (code !== undefined && FOLDER_PROBLEMS.has(code)) {
    return new Permanent('Herald cannot write to the media folder; check its permissions.', {
      code: code.toLowerCase(),
      cause: error,
    })
  }
  return new Transient(`Writing to the media folder failed (${code ?? 'unknown error'})`, {
    cause: error,
  })
}

const storage: MediaStorage<LocalMediaSettings> = {
  contract: 'media-storage/1',

  async put(ctx, input) {
    ctx.signal.throwIfAborted()
    const key = keyFor(input.key, input.mime)
    const path = pathOf(ctx, key)
    const partial = `${path}.${randomUUID()}.part`
    try {
      await mkdir(dirname(path), { recursive: true })
      await writeFile(partial, input.bytes, { flag: 'wx', mode: 0o644, signal: ctx.signal })
      ctx.signal.throwIfAborted()
      await rename(partial, path)
    } catch (error) {
      await rm(partial, { force: true }).catch(() => {})
      if (ctx.signal.aborted) throw ctx.signal.reason
      throw diskError(error)
    }
    ctx.logger.debug({ key, bytes: input.bytes.byteLength }, 'stored media on disk')
    const size = input.mime.startsWith('image/') ? imageSize(input.bytes) : undefined
    return { url: await storage.publicUrl(ctx, key), key, ...size }
  },

  async delete(ctx, key) {
    ctx.signal.throwIfAborted()
    try {
      await unlink(pathOf(ctx, key))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
      if (error instanceof Permanent) throw error
      throw diskError(error)
    }
  },

  async read(ctx, key) {
    ctx.signal.throwIfAborted()
    try {
      return new Uint8Array(await readFile(pathOf(ctx, key), { signal: ctx.signal }))
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Permanent('The image is no longer in the media folder; attach it again.', {
          code: 'missing_file',
        })
      }
      if (error instanceof Permanent) throw error
      throw diskError(error)
    }
  },

  async publicUrl(ctx, key) {
    checkKey(key)
    const base = ctx.settings.publicBaseUrl.replace(/\/+$/, '')
    return `${base}/${key.split('/').map(encodeURIComponent).join('/')}`
  },
}

export default definePlugin<LocalMediaSettings>({
  id: 'local-media',
  kinds: { 'media-storage': storage },
})
