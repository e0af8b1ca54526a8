import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { packages } from '../../../scripts/packages/packages.ts'

const root = new URL('../../../', import.meta.url).pathname
const skip = new Set(['node_modules', 'dist', '.build', '.git', 'generated', 'api'])

function sources(dir: string): string[] {
  const found: string[] = []
  for (const entry of readdirSync(join(root, dir))) {
    if (skip.has(entry)) continue
    const path = join(dir, entry)
    if (statSync(join(root, path)).isDirectory()) found.push(...sources(path))
    else if (path.endsWith('.ts')) found.push(path)
  }
  return found
}

const specifiers = (file: string) =>
  [...readFileSync(join(root, file), 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!)
const allFiles = ['libs', 'services', 'test', 'scripts', 'benchmarks', 'chaos', 'examples'].flatMap(sources)
const published = packages.map((spec) => spec.dir)

test('the published libraries are imported by package name, never through #libs', () => {
  const offenders = allFiles.flatMap((file) =>
    specifiers(file)
      .filter((specifier) => published.some((dir) => specifier === `#libs/${dir}`))
      .map((specifier) => `${file}: ${specifier}`),
  )
  assert.deepEqual(offenders, [])
})

test('no file reaches inside a package: @event-backbone/<name> is the whole public surface', () => {
  const offenders = allFiles.flatMap((file) =>
    specifiers(file)
      .filter((specifier) => /^@event-backbone\/[^/]+\/.+/.test(specifier))
      .map((specifier) => `${file}: ${specifier}`),
  )
  assert.deepEqual(offenders, [])
})

test('services use the client package for what it exports, as a service in another repository would', () => {
  const clientLibs = ['consumer', 'events', 'publisher', 'kafka', 'state']
  const offenders = sources('services').flatMap((file) =>
    specifiers(file)
      .filter((specifier) => clientLibs.some((lib) => specifier === `#libs/${lib}`))
      .map((specifier) => `${file}: ${specifier}`),
  )
  assert.deepEqual(offenders, [])
})

test('the example service depends on nothing of this repository but the packages', () => {
  const offenders = sources('examples').flatMap((file) =>
    specifiers(file)
      .filter((specifier) => specifier.startsWith('#') || /^\.\.\/\.\.\/\.\./.test(specifier))
      .map((specifier) => `${file}: ${specifier}`),
  )
  assert.deepEqual(offenders, [])
  const manifest = JSON.parse(readFileSync(join(root, 'examples/payments-service/package.json'), 'utf8'))
  assert.equal(manifest.workspaces, undefined)
  const workspaces = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces as string[]
  assert.ok(!workspaces.some((path) => path.startsWith('examples')), 'the example is not a workspace')
})

test('every package manifest exports only its entry, built files and types, with the source condition first', () => {
  for (const spec of packages) {
    const manifest = JSON.parse(readFileSync(join(root, 'libs', spec.dir, 'package.json'), 'utf8'))
    assert.equal(manifest.name, spec.name)
    assert.equal(manifest.type, 'module')
    assert.match(manifest.engines.node, /^>=22/)
    if (spec.kind === 'library') {
      assert.deepEqual(Object.keys(manifest.exports), ['.', './package.json'], spec.name)
      assert.deepEqual(manifest.exports['.'], {
        'event-backbone-source': `./${spec.entry}`,
        types: './dist/index.d.ts',
        default: './dist/index.js',
      })
    } else {
      assert.deepEqual(manifest.bin, { backbone: './bin/backbone.js' })
    }
    assert.ok(manifest.files.includes('dist'), `${spec.name} ships dist/`)
    for (const [name, range] of Object.entries(manifest.dependencies as Record<string, string>)) {
      if (name.startsWith('@event-backbone/')) {
        const dependency = packages.find((other) => other.name === name)!
        const version = JSON.parse(
          readFileSync(join(root, 'libs', dependency.dir, 'package.json'), 'utf8'),
        ).version
        assert.equal(range, `^${version}`, `${spec.name} depends on the current ${name}`)
      }
    }
  }
})
