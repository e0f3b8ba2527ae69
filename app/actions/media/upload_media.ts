import { readFile } from 'node:fs/promises'
import { inject } from '@adonisjs/core'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import aiConfig from '#config/ai'
import type MediaAsset from '#models/media_asset'
import type User from '#models/user'
import type Workspace from '#models/workspace'
import { StoreMedia } from '#actions/media/store_media'
import { InvalidImageError, probeImage } from '#services/image_probe'

/** An upload refused, with the sentence shown under the file field */
export class UploadRefusedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UploadRefusedError'
  }
}

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`

/**
 * An image uploaded to the media library: size checked, type read from the
 * content (never the name or the browser's content type), stored, recorded.
 * Throws UploadRefusedError in words.
 */
@inject()
export class UploadMedia {
  constructor(private store: StoreMedia) {}

  async execute(
    workspace: Workspace,
    user: User,
    file: MultipartFile,
    altText?: string | null
  ): Promise<MediaAsset> {
    const limit = aiConfig.upload.maxBytes
    if (file.size > limit) {
      throw new UploadRefusedError(
        `This file is ${megabytes(file.size)}; images may be at most ${megabytes(limit)}.`
      )
    }
    if (!file.tmpPath) throw new UploadRefusedError('The file did not arrive; choose it again.')
    const bytes = await readFile(file.tmpPath)
    if (bytes.byteLength > limit) {
      throw new UploadRefusedError(`Images may be at most ${megabytes(limit)}.`)
    }
    let image
    try {
      image = await probeImage(bytes)
    } catch (error) {
      if (error instanceof InvalidImageError) {
        throw new UploadRefusedError(`${error.message} Upload a JPEG, PNG, WebP or GIF image.`)
      }
      throw error
    }
    return this.store.execute({
      workspace,
      bytes,
      image,
      source: 'upload',
      createdById: user.id,
      originalName: file.clientName,
      altText,
    })
  }
}
