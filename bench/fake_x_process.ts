/**
 * The fake X in a process of its own, for benchmarks: the platform is then
 * not sharing the measured process's CPU, as a real platform would not.
 * Speaks over IPC: { type: 'settings' } answers the plugin settings,
 * { type: 'stats' } the creating requests' arrival times and the posts' texts.
 * BENCH_LATENCY_MS (p50) and BENCH_LATENCY_P99_MS shape its answer time.
 */
import { FakeX } from '#tests/fakes/x'

const fake = new FakeX()
const p50 = Number(process.env.BENCH_LATENCY_MS ?? 100)
const p99 = Number(process.env.BENCH_LATENCY_P99_MS ?? p50)
await fake.start()
fake.latencyMs = p50
if (p99 > p50) fake.latencyFn = () => latency(p50, p99)

/** A long-tailed answer time: the median at p50, 1 % of answers at or above p99 */
function latency(median: number, tail: number) {
  const u = Math.random()
  if (u > 0.99) return tail + Math.random() * (tail - median)
  return median * Math.exp((Math.log(tail / median) / 2.326) * normal())
}

function normal() {
  const u = 1 - Math.random()
  const v = Math.random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

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
