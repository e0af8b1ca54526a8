// Proves that a service in another repository can use the backbone from its npm packages alone: the packed packages install into a copy of examples/payments-service with npm, type-check, and on Node 22 and Node 24 publish PaymentConfirmed, receive the real ledger's LedgerPosting, pass the example's own tests through @event-backbone/testing, and run the installed CLI.
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { after, before, test } from 'node:test'
import { promisify } from 'node:util'
import { packPackages } from '../../scripts/packages/pack.ts'
import { ensureNode22, installExample, outsideEnv, startExample } from '../helpers/example-service.ts'

const run = promisify(execFile)
const root = new URL('../../', import.meta.url).pathname
const work = mkdtempSync(join(tmpdir(), 'eb-example-'))
const exampleDir = join(work, 'payments-service')

let node22: string
let stack: { kafka: { brokers: string[] }; services: Record<string, string> }
let stopStack: () => Promise<void> = async () => {}

before(async () => {
  // One stack (its own broker, registry, topics, schemas and the real payments-ledger) for the file.
  const env: NodeJS.ProcessEnv = { ...process.env, BACKBONE_KAFKA: 'local' }
  delete env['KAFKA_BROKERS']
  const up = spawn(
    process.execPath,
    [join(root, 'bin/backbone.js'), 'up', '--json', '--free-ports', '--no-demo'],
    {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  )
  stopStack = async () => {
    if (up.exitCode !== null || up.signalCode !== null) return
    up.kill('SIGINT')
    await once(up, 'exit')
  }
  const [[tarballs, node], first] = await Promise.all([
    Promise.all([Promise.resolve().then(() => packPackages(join(work, 'packs'))), ensureNode22()]),
    once(createInterface({ input: up.stdout! }), 'line') as Promise<[string]>,
  ])
  stack = JSON.parse(first[0]) as typeof stack
  node22 = node
  await installExample(exampleDir, tarballs)
})

after(async () => {
  await stopStack()
  rmSync(work, { recursive: true, force: true })
})

const backboneEnv = () => ({
  KAFKA_BROKERS: stack.kafka.brokers.join(','),
  SCHEMA_REGISTRY_URL: stack.services['schema-registry']!,
})
const runtimes = () =>
  [
    ['Node 22', node22],
    ['Node 24', process.execPath],
  ] as const

test('the installed packages type-check in the service: their .d.ts carry the catalog types to the handler', async () => {
  await run(join(root, 'node_modules/.bin/tsc'), ['--noEmit', '-p', join(exampleDir, 'tsconfig.json')], {
    cwd: exampleDir,
  })
  const installed = await run('npm', ['ls', '--json', '--all'], { cwd: exampleDir, env: outsideEnv({}) })
  const tree = JSON.stringify(JSON.parse(installed.stdout))
  for (const name of ['client', 'catalog', 'serde', 'errors', 'testing', 'cli']) {
    assert.match(tree, new RegExp(`@event-backbone/${name}`), `@event-backbone/${name} is installed`)
  }
})

for (const [label, node] of [
  ['Node 22', () => node22],
  ['Node 24', () => process.execPath],
] as const) {
  test(`on ${label} the service publishes PaymentConfirmed and receives the ledger's posting of each payment`, async () => {
    const service = startExample(
      node(),
      exampleDir,
      outsideEnv({ ...backboneEnv(), DEMO_PAYMENTS: '2', SERVICE_GROUP: `payments-service-${randomUUID()}` }),
    )
    try {
      const ready = await service.line((fields) => fields['msg'] === 'ready', 'ready')
      assert.match(String(ready['node']), label === 'Node 22' ? /^v22\./ : /^v24\./)
      const published = await service.lines(
        (fields) => fields['msg'] === 'payment published',
        2,
        'two payments published',
      )
      for (const payment of published) {
        const posting = await service.line(
          (fields) => fields['msg'] === 'posting received' && fields['paymentId'] === payment['paymentId'],
          `the posting of payment ${String(payment['paymentId'])}`,
        )
        assert.equal(posting['lines'], 2, 'a debit and a credit line')
      }
    } finally {
      assert.equal(await service.stop(), 0, 'the service stops cleanly on SIGTERM')
    }
  })
}

test('on Node 22 and Node 24 the service own tests pass on the stack broker through @event-backbone/testing', async () => {
  for (const [label, node] of runtimes()) {
    const { stdout } = await run(node, ['--test', '--test-reporter=tap', 'test/postings.test.ts'], {
      cwd: exampleDir,
      env: outsideEnv(backboneEnv()),
    }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`${label}: ${error.stdout ?? ''}${error.stderr ?? ''}`)
    })
    assert.match(stdout, /^# pass 2$/m, `${label}: ${stdout}`)
    assert.match(stdout, /^# fail 0$/m, `${label}: ${stdout}`)
  }
})

test('npx backbone from the installed CLI checks the catalog schemas against the stack registry, on Node 22', async () => {
  const { stdout } = await run(
    'npx',
    ['--no-install', 'backbone', 'schemas', 'check', '--registry', backboneEnv().SCHEMA_REGISTRY_URL],
    {
      cwd: exampleDir,
      env: outsideEnv({ PATH: `${dirname(node22)}:${process.env['PATH']}` }),
    },
  )
  assert.match(stdout, /PaymentConfirmed/)
  const usage = await run('npx', ['--no-install', 'backbone', 'up'], {
    cwd: exampleDir,
    env: outsideEnv({}),
  }).then(
    () => '',
    (error: { stderr: string; code: number }) => `${error.code} ${error.stderr}`,
  )
  assert.match(usage, /checkout of the event-backbone repository/, 'up explains why it cannot run here')
})

test('each installed package imports only Node builtins and the dependencies it declares', async () => {
  const { builtinModules } = await import('node:module')
  for (const name of ['errors', 'catalog', 'serde', 'client', 'testing', 'cli']) {
    const dir = join(exampleDir, 'node_modules/@event-backbone', name)
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>
    }
    const declared = new Set(Object.keys(manifest.dependencies ?? {}))
    const bundle = readdirSync(join(dir, 'dist'))
      .filter((file) => file.endsWith('.js'))
      .map((file) => readFileSync(join(dir, 'dist', file), 'utf8'))
      .join('\n')
    const imported = new Set(
      [
        ...bundle.matchAll(/(?:^|\n)(?:import|export)\b[^'"\n]*?from\s*["']([^"'.][^"']*)["']/g),
        ...bundle.matchAll(/\bimport\(\s*["']([^"'.][^"']*)["']\s*\)/g),
      ].map((m) => m[1]!),
    )
    if (name === 'client') assert.ok(imported.has('kafkajs'), 'the scan finds the imports')
    for (const specifier of imported) {
      const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier
      const packageName = bare.startsWith('@') ? bare.split('/').slice(0, 2).join('/') : bare.split('/')[0]!
      assert.ok(
        builtinModules.includes(bare) || declared.has(packageName),
        `@event-backbone/${name} imports ${specifier}, which it does not declare`,
      )
    }
  }
})
