import type { PluginContext } from '../context.js'
import type { PluginSettings } from '../settings.js'

/** What to store. */
export interface PutMediaInput {
  /** File content. */
  bytes: Uint8Array
  /** MIME type, e.g. `image/jpeg`. */
  mime: string
  /** Host-chosen storage key (a relative path such as `2025/06/abc.jpg`). */
  key: string
}

/** Where the media was stored. */
export interface StoredMedia {
  /** Public URL of the file. */
  url: string
  /** Key to pass to `delete` and `publicUrl`; may differ from the requested key. */
  key: string
  /** Pixel width, when the storage knows it. */
  width?: number
  /** Pixel height, when the storage knows it. */
  height?: number
}

/** A media storage backend (`media-storage/1`). */
export interface MediaStorage<S = PluginSettings> {
  /** Contract version literal. */
  readonly contract: 'media-storage/1'
  /** Stores a file. */
  put(ctx: PluginContext<S>, input: PutMediaInput): Promise<StoredMedia>
  /** Deletes a file; deleting a missing key succeeds. */
  delete(ctx: PluginContext<S>, key: string): Promise<void>
  /** Public URL of a stored key. */
  publicUrl(ctx: PluginContext<S>, key: string): Promise<string>
  /**
   * Since SDK 1.2, optional: the bytes of a stored key (publishers that upload media read them through
   * it). Without it the host downloads the public URL.
   */
  read?(ctx: PluginContext<S>, key: string): Promise<Uint8Array>
}
