import type { PublishInput, PublishMedia, PublishPart } from '@herald/plugin-sdk'
import {
  createCapturingLogger,
  createTestContext,
  createTestMedia,
  type TestPluginContext,
} from '@herald/plugin-sdk/testing'
import type { InstagramSettings } from '../src/settings.js'
import { FAKE_META_PAGES, type FakeMeta } from '@herald/meta-graph/testing'

export { pluginError } from '@herald/meta-graph/testing'

/** The fake's first Page, which has an Instagram business account. */
export const PAGE = FAKE_META_PAGES[0]
export const IG_ID = PAGE.igUserId!
export const ACCOUNT = { externalId: IG_ID, handle: PAGE.igUsername!, displayName: PAGE.name }

/** Settings pointing at the fake (containers waited for 2 s at most). */
export function settingsOf(
  fake: FakeMeta,
  extra: Partial<InstagramSettings> = {}
): InstagramSettings {
  return { ...fake.settings(), containerTimeoutSeconds: 2, ...extra }
}

/** A test context on the fake (1 s request timeouts, a capturing logger). */
export function contextOf(
  fake: FakeMeta,
  options: { signal?: AbortSignal; now?: () => Date; settings?: Partial<InstagramSettings> } = {}
): TestPluginContext<InstagramSettings> {
  return createTestContext<InstagramSettings>({
    settings: settingsOf(fake, options.settings),
    signal: options.signal,
    now: options.now,
    timeoutMs: 1000,
    log: createCapturingLogger(),
  })
}

/** A JPEG media item whose public URL is `url`. */
export function photo(url: string, altText?: string): PublishMedia {
  return createTestMedia({
    bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0]),
    mime: 'image/jpeg',
    url,
    ...(altText ? { altText } : {}),
  })
}

/** A publish input for the fake's Instagram account with its Page token. */
export function publishInput(part: PublishPart, extra: Partial<PublishInput> = {}): PublishInput {
  return {
    account: ACCOUNT,
    tokens: { accessToken: PAGE.accessToken },
    parts: [part],
    idempotencyKey: 'target-1:attempt-1',
    ...extra,
  }
}

/** A JPEG header with a start-of-frame segment of this size (enough for Meta's checks, not for pixels). */
export function jpegOfSize(width: number, height: number): Buffer {
  const frame = Buffer.from([
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    height >> 8,
    height & 255,
    width >> 8,
    width & 255,
    0x03,
    0x01,
    0x22,
    0x00,
    0x02,
    0x11,
    0x01,
    0x03,
    0x11,
    0x01,
  ])
  const app0 = Buffer.from([
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
    0x00, 0x00,
  ])
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, frame, Buffer.from([0xff, 0xd9])])
}
