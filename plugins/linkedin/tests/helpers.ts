import type { PublishInput, PublishMedia, PublishPart } from '@herald/plugin-sdk'
import {
  createCapturingLogger,
  createTestContext,
  createTestMedia,
  type TestPluginContext,
} from '@herald/plugin-sdk/testing'
import type { LinkedInSettings } from '../src/settings.js'
import { FAKE_LINKEDIN_MEMBER, FAKE_LINKEDIN_TOKENS, type FakeLinkedIn } from './fake_linkedin.js'

/** The account of the fake's default member, as fetchProfile returns it. */
export const ACCOUNT = {
  externalId: `urn:li:person:${FAKE_LINKEDIN_MEMBER.sub}`,
  handle: FAKE_LINKEDIN_MEMBER.email,
  displayName: FAKE_LINKEDIN_MEMBER.name,
}

/** Settings pointing at the fake. */
export function settingsOf(
  fake: FakeLinkedIn,
  extra: Partial<LinkedInSettings> = {}
): LinkedInSettings {
  return { ...fake.settings(), ...extra }
}

/** A test context on the fake (1 s request timeouts, a capturing logger). */
export function contextOf(
  fake: FakeLinkedIn,
  options: { signal?: AbortSignal; now?: () => Date; settings?: Partial<LinkedInSettings> } = {}
): TestPluginContext<LinkedInSettings> {
  return createTestContext<LinkedInSettings>({
    settings: settingsOf(fake, options.settings),
    signal: options.signal,
    now: options.now,
    timeoutMs: 1000,
    log: createCapturingLogger(),
  })
}

/** Bytes that start with a file type's magic number, padded to `size`. */
export function imageBytes(mime: string, size = 2048): Uint8Array {
  const heads: Record<string, number[]> = {
    'image/jpeg': [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46],
    'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    'image/gif': [...Buffer.from('GIF89a')],
  }
  const bytes = new Uint8Array(size)
  for (let index = 0; index < size; index++) bytes[index] = (index * 17 + 3) % 251
  bytes.set(heads[mime] ?? [], 0)
  return bytes
}

/** A media item backed by fake image bytes. */
export function image(
  mime = 'image/jpeg',
  options: { size?: number; altText?: string; bytes?: Uint8Array } = {}
): PublishMedia {
  return createTestMedia({
    bytes: options.bytes ?? imageBytes(mime, options.size),
    mime,
    ...(options.altText === undefined ? {} : { altText: options.altText }),
  })
}

/** A publish input for the fake's default member. */
export function publishInput(
  part: string | PublishPart,
  extra: Partial<PublishInput> = {}
): PublishInput {
  return {
    account: ACCOUNT,
    tokens: { accessToken: FAKE_LINKEDIN_TOKENS.accessToken },
    parts: [typeof part === 'string' ? { text: part, media: [] } : part],
    idempotencyKey: 'target-1:attempt-1',
    ...extra,
  }
}

/** The plugin error a promise rejects with (the SDK's check, under the name these tests use) */
export { expectPluginError as pluginError } from '@herald/plugin-sdk/testing'
