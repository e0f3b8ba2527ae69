import { test } from '@japa/runner'
import { compareNetworks } from '#plugin_host/publishers'

test.group('Network order', () => {
  test('X, LinkedIn, Facebook, Instagram, then plugin networks by display name', ({ assert }) => {
    const names: Record<string, string> = { zz: 'Bluesky', aa: 'Mastodon', mm: 'Threads' }
    const ids = ['mm', 'instagram', 'aa', 'facebook', 'zz', 'linkedin', 'x']
    const sorted = [...ids].sort((a, b) => compareNetworks(a, b, (id) => names[id] ?? id))
    assert.deepEqual(sorted, ['x', 'linkedin', 'facebook', 'instagram', 'zz', 'aa', 'mm'])
  })
})
