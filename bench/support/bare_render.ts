/**
 * The bare-render baseline of the page benchmark: a plain `node:http` server
 * rendering a dashboard-like table of 50 escaped rows with Edge (cache on),
 * no framework, no database. Run as a child process by bench/pages.ts
 * (`node bench/support/bare_render.ts <port>`); what Herald adds to a page is
 * its figure minus this one, measured in the same run.
 */
import { createServer } from 'node:http'
import { Edge } from 'edge.js'

const port = Number(process.argv[2] ?? 3395)
const edge = Edge.create({ cache: true })
edge.registerTemplate('table', {
  template: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
<table><thead><tr><th>Post</th><th>Account</th><th>Status</th><th>When</th></tr></thead><tbody>
@each(row in rows)
<tr><td><a href="/posts/{{ row.id }}">{{ row.text }}</a></td><td>{{ row.account }}</td>
<td><span class="badge badge-{{ row.tone }}">{{ row.status }}</span></td><td>{{ row.when }}</td></tr>
@end
</tbody></table></main></body></html>`,
})

const rows = Array.from({ length: 50 }, (_, index) => ({
  id: index + 1,
  text: `Fresh beans are in <${index}> & our Ethiopian roast is back this week`,
  account: `@bench_${index % 3}`,
  status: index % 7 === 0 ? 'Failed' : 'Published',
  tone: index % 7 === 0 ? 'red' : 'green',
  when: new Date(Date.UTC(2026, 11, 1, 9, index)).toISOString(),
}))

createServer(async (_request, response) => {
  const html = await edge.render('table', { title: 'Bare render', rows })
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
  response.end(html)
}).listen(port, '127.0.0.1', () => process.send?.('ready'))
