import type MediaAsset from '#models/media_asset'

/** Saves a media asset's alt text (what screen readers and networks say about the image) */
export class UpdateMedia {
  async execute(asset: MediaAsset, input: { altText?: string | null }) {
    asset.altText = input.altText?.trim() || null
    await asset.save()
    return asset
  }
}
