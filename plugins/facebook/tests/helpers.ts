import type { PublishInput, PublishMedia, PublishPart } from '@herald/plugin-sdk'
import {
  createCapturingLogger,
  createTestContext,
  createTestMedia,
  type TestPluginContext,
} from '@herald/plugin-sdk/testing'
import type { FacebookSettings } from '../src/settings.js'
import { FAKE_META_PAGES, type FakeMeta } from '@herald/meta-graph/testing'

export { pluginError } from '@herald/meta-graph/testing'

/** The fake's first Page, as fetchAccounts returns it. */
export const PAGE = FAKE_META_PAGES[0]
export const ACCOUNT = { externalId: PAGE.id, handle: PAGE.id, displayName: PAGE.name }

/** A test context on the fake (1 s request timeouts, a capturing logger). */
export function contextOf(
  fake: FakeMeta,
  options: { signal?: AbortSignal; now?: () => Date; settings?: Partial<FacebookSettings> } = {}
): TestPluginContext<FacebookSettings> {
  return createTestContext<FacebookSettings>({
    settings: { ...fake.settings(), ...options.settings },
    signal: options.signal,
    now: options.now,
    timeoutMs: 1000,
    log: createCapturingLogger(),
  })
}

/** A JPEG media item whose public URL is `url`. */
export function photo(url: string, mime = 'image/jpeg'): PublishMedia {
  return createTestMedia({ bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), mime, url })
}

/** A publish input for the fake's first Page with its Page token. */
export function publishInput(
  part: string | PublishPart,
  extra: Partial<PublishInput> = {}
): PublishInput {
  return {
    account: ACCOUNT,
    tokens: { accessToken: PAGE.accessToken },
    parts: [typeof part === 'string' ? { text: part, media: [] } : part],
    idempotencyKey: 'target-1:attempt-1',
    ...extra,
  }
}
