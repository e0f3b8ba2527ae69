import { test } from '@japa/runner'
import { readFile, readdir } from 'node:fs/promises'
import { join, relative } from 'node:path'
import app from '@adonisjs/core/services/app'
import { stringifyAttributes } from '#services/html_attributes'

async function edgeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? edgeFiles(join(dir, entry.name))
        : entry.name.endsWith('.edge')
          ? [join(dir, entry.name)]
          : []
    )
  )
  return nested.flat()
}

/** Raw output allowed only for rendered slots and the icon component's constant paths */
const RAW_ALLOWED = [
  /\{\{\{\s*await \$slots\.\w+\(\)/,
  /\{\{\{\s*await \$slots\.banners\?\.\(\)/,
  /\{\{\{ paths\[/,
]

test.group('Templates escape what they render', () => {
  test('no template writes unescaped output or Edge attribute helpers', async ({ assert }) => {
    const views = app.makePath('resources/views')
    const problems: string[] = []
    for (const file of await edgeFiles(views)) {
      const lines = (await readFile(file, 'utf8')).split('\n')
      lines.forEach((line, index) => {
        const where = `${relative(views, file)}:${index + 1}`
        if (/\.toAttrs\(\)|html\.attrs\(/.test(line)) {
          problems.push(`${where} uses Edge's unescaped attribute helper; use attrs()`)
        }
        if (line.includes('{{{') && !RAW_ALLOWED.some((allowed) => allowed.test(line))) {
          problems.push(`${where} renders raw output with {{{ }}}`)
        }
      })
    }
    assert.deepEqual(problems, [])
  })

  test('attrs() escapes values and drops unsafe attribute names', ({ assert }) => {
    const html = stringifyAttributes({
      'value': '"><script>alert(1)</script>',
      'class': ['btn', { primary: true, hidden: false }],
      'disabled': true,
      'hidden': false,
      'onclick="alert(1)" x': 'y',
      'hx-post': '/w/a?_method=PUT&x=1',
    })
    assert.equal(
      html,
      'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" class="btn primary" disabled hx-post="/w/a?_method=PUT&amp;x=1"'
    )
  })
})
