import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import {
  allHeaders,
  CLOUDEVENTS_PREFIX,
  CloudEventHeader,
  fixedTopic,
  headerPrefix,
  idPrefix,
  ReplayHeader,
  TRACEPARENT_HEADER,
  topicFamilies,
  topicSuffix,
} from '#libs/kafka'

const root = new URL('../../../', import.meta.url).pathname
const wireDir = 'libs/kafka/src/wire'
const skip = new Set(['node_modules', 'dist', '.build', 'generated', 'api'])

function sources(dir: string): string[] {
  const found: string[] = []
  for (const entry of readdirSync(join(root, dir))) {
    if (skip.has(entry)) continue
    const path = join(dir, entry)
    if (statSync(join(root, path)).isDirectory()) found.push(...sources(path))
    else if (path.endsWith('.ts') && !path.startsWith(wireDir)) found.push(path)
  }
  return found
}

/** Code without comments: a comment may name a topic or header to explain it. */
function code(file: string): string {
  return readFileSync(join(root, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

// A contract name spelled as a string literal, or as the literal head or tail of a template.
const names = [
  ...allHeaders,
  ...Object.values(ReplayHeader),
  ...Object.values(headerPrefix),
  ...Object.values(fixedTopic),
  ...Object.values(idPrefix).filter((prefix) => prefix.length > 1),
  ...Object.values(topicSuffix),
  // `content-type` is also an HTTP header name, spelled by every HTTP face: only the `ce_` names.
  ...Object.values(CloudEventHeader).filter((name) => name.startsWith(CLOUDEVENTS_PREFIX)),
  CLOUDEVENTS_PREFIX,
]
const literal = new RegExp(
  `['"\`](?:${names.map(escapeRegExp).join('|')})|(?:${names.map(escapeRegExp).join('|')})(?:['"\`]|\\$\\{)`,
)

test('no library or service spells a topic, header or transactional-id name of the wire contract itself', () => {
  const offenders = ['libs', 'services'].flatMap(sources).flatMap((file) =>
    code(file)
      .split('\n')
      .filter((line) => literal.test(line))
      .map((line) => `${file}: ${line.trim()}`),
  )
  assert.deepEqual(offenders, [])
})

test('the traceparent header is the W3C name', () => {
  assert.equal(TRACEPARENT_HEADER, 'traceparent')
})

test('every topic family is in the wire contract table of docs/kafka.md, and nothing else is', () => {
  const doc = readFileSync(join(root, 'docs/kafka.md'), 'utf8')
  const section = doc.slice(doc.indexOf('## Wire contract'))
  const documented = new Set([...section.matchAll(/^\|\s*`([a-z-]+)`\s*\|/gm)].map((m) => m[1]))
  assert.deepEqual(documented, new Set(topicFamilies))
})
