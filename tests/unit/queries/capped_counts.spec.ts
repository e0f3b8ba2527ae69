import { test } from '@japa/runner'
import { ATTENTION_CAP, LIST_CAP, cappedCount } from '#queries/capped_counts'

test.group('Capped counts', () => {
  test('exact up to the cap, "N+" past it or when the targets read hit their limit', ({
    assert,
  }) => {
    assert.deepEqual(cappedCount(0, ATTENTION_CAP, 0), { count: 0, label: '0' })
    assert.deepEqual(cappedCount(99, ATTENTION_CAP, 99), { count: 99, label: '99' })
    assert.deepEqual(cappedCount(100, ATTENTION_CAP, 100), { count: 99, label: '99+' })
    // 40 posts with 10 targets each fill the read: there may be more posts beyond it
    assert.deepEqual(cappedCount(40, ATTENTION_CAP, 400), { count: 40, label: '40+' })
    assert.deepEqual(cappedCount(1000, LIST_CAP), { count: 1000, label: '1,000' })
    assert.deepEqual(cappedCount(1001, LIST_CAP), { count: 1000, label: '1,000+' })
  })
})
