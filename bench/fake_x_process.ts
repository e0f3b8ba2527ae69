/**
 * The fake X in a process of its own, for benchmarks: the platform is then
 * not sharing the measured process's CPU, as a real platform would not.
 * Speaks over IPC: { type: 'settings' } answers the plugin settings,
 * { type: 'stats' } the creating requests' arrival times and the posts' texts.
 * BENCH_LATENCY_MS (p50) and BENCH_LATENCY_P99_MS shape its answer time.
 */
import { FakeX } from '#tests/fakes/x'
import { latency } from './support/latency.ts'

const fake = new FakeX()
const p50 = Number(process.env.BENCH_LATENCY_MS ?? 100)
const p99 = Number(process.env.BENCH_LATENCY_P99_MS ?? p50)
await fake.start()
fake.latencyMs = p50
if (p99 > p50) fake.latencyFn = () => latency(p50, p99)

process.on('message', (message: { type: string; id: number }) => {
  const reply = (body: unknown) => process.send!({ id: message.id, body })
  if (message.type === 'settings') reply(fake.settings())
  else if (message.type === 'stats') {
    reply({
      creates: fake.requestsTo('tweets.create').map((request) => request.at.getTime()),
      texts: fake.tweets.map((tweet) => tweet.text),
    })
  } else if (message.type === 'stop') {
    fake.stop().then(() => process.exit(0))
  }
})
process.send!({ id: 0, body: 'ready' })
