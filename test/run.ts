/**
 * The one test command (`npm test`): static checks, then every test file under test/ against one
 * Kafka broker that this script provides for the whole run (see libs/kafka-local provideKafka).
 *
 *   npm test                      everything
 *   npm test -- test/unit         only files under the given paths
 *   SKIP_CHECKS=1 npm test -- …   skip typecheck, lint, codegen check and npm audit (local iteration only)
 */
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { provideKafka, silenceKafkajsTimeoutWarning } from '#libs/kafka-local'
import { startSchemaRegistry } from '#libs/schema-registry'

silenceKafkajsTimeoutWarning()

const root = new URL('..', import.meta.url).pathname
const args = process.argv.slice(2)
const started = Date.now()

function say(line: string): void {
  process.stdout.write(`[test] ${line}\n`)
}

function testFiles(paths: string[]): string[] {
  const found: string[] = []
  const visit = (path: string) => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry))
    } else if (path.endsWith('.test.ts')) {
      found.push(relative(root, path))
    }
  }
  for (const path of paths) visit(join(root, path))
  // Chaos and soak suites have their own command (npm run chaos).
  return found.filter((file) => !file.startsWith('test/chaos/'))
}

function runStep(name: string, command: string, commandArgs: string[], env = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: root, env, stdio: 'inherit' })
    children.add(child)
    child.once('exit', (code, signal) => {
      children.delete(child)
      if (code !== 0) say(`${name} failed (${signal ?? code})`)
      resolve(code ?? 1)
    })
  })
}

const children = new Set<ReturnType<typeof spawn>>()
let stopKafka: (() => Promise<void>) | undefined
let exiting = false
async function shutdown(code: number): Promise<never> {
  if (!exiting) {
    exiting = true
    for (const child of children) child.kill('SIGTERM')
    await stopKafka?.().catch((error) => say(`stopping Kafka failed: ${error}`))
  }
  process.exit(code)
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown(130))

const files = testFiles(args.length > 0 ? args : ['test'])
if (files.length === 0) {
  say('no test files found')
  await shutdown(1)
}

// Browser tests drive Debian's chromium; a clean machine gets it here (scripts/ensure-chromium.sh).
const needsBrowser = files.some(
  (file) => file.startsWith('test/e2e/browser/') || file.endsWith('.browser.test.ts'),
)
if (needsBrowser && !existsSync('/usr/bin/chromium')) {
  say('installing chromium for the browser tests')
  if ((await runStep('ensure chromium', 'bash', ['scripts/ensure-chromium.sh'])) !== 0) await shutdown(1)
}

// The alert-rule tests run promtool, the Prometheus smoke a real Prometheus: Debian's package,
// installed here on a clean machine (scripts/ensure-prometheus.sh).
const needsPrometheus = files.some(
  (file) => file.startsWith('test/integration/deploy/') || file === 'test/e2e/prometheus-smoke.test.ts',
)
if (needsPrometheus && !(existsSync('/usr/bin/prometheus') && existsSync('/usr/bin/promtool'))) {
  say('installing prometheus for the alert-rule and Prometheus tests')
  if ((await runStep('ensure prometheus', 'bash', ['scripts/ensure-prometheus.sh'])) !== 0) await shutdown(1)
}

// The tracing smoke sends spans to a real Jaeger, built from its Go module into the cache
// (scripts/ensure-jaeger.sh). A cold build takes minutes, so it starts now, in the background, and
// overlaps the checks and the concurrent tests; the smoke runs with the whole-stack tests, after them.
const needsJaeger = files.includes('test/e2e/tracing-smoke.test.ts')
const jaegerBuild = needsJaeger
  ? runStep('ensure jaeger', 'bash', ['scripts/ensure-jaeger.sh'])
  : Promise.resolve(0)

// One Kafka and one schema registry for the whole run: tests that use the catalog's fixed topics
// and subjects share the registry, so every test sees the same schema ids.
const kafkaPromise = provideKafka().then(async (kafka) => {
  stopKafka = kafka.stop
  say(`Kafka (${kafka.source}) at ${kafka.brokers.join(',')}${kafka.logFile ? `, log ${kafka.logFile}` : ''}`)
  const registry = await startSchemaRegistry({ brokers: kafka.brokers, port: 0, topic: '_schemas' })
  stopKafka = async () => {
    await registry.close()
    await kafka.stop()
  }
  say(`schema registry at ${registry.url}`)
  return { brokers: kafka.brokers, registryUrl: registry.url }
})
kafkaPromise.catch(() => {})

if (!process.env['SKIP_CHECKS']) {
  const checks = await Promise.all([
    runStep('typecheck', 'tsc', ['--noEmit', '-p', 'tsconfig.json']),
    runStep('lint', 'biome', ['ci', '--reporter=summary', '.']),
    runStep('generated code check', 'node', ['scripts/check-generated.ts']),
    // Builds the npm packages and fails when a public API differs from its committed report.
    runStep('packages and API reports', 'node', ['scripts/packages/build.ts', '--check']),
    // Fails on high/critical advisories; only warns when the advisory service is unreachable.
    runStep('npm audit', 'node', ['scripts/audit.ts']),
  ])
  if (checks.some((code) => code !== 0)) await shutdown(1)
  say('static checks passed')
}

let kafka: Awaited<typeof kafkaPromise>
try {
  kafka = await kafkaPromise
} catch (error) {
  say(`could not provide Kafka: ${(error as Error).message}`)
  await shutdown(1)
  throw error
}

const testEnv = {
  ...process.env,
  KAFKA_BROKERS: kafka.brokers.join(','),
  SCHEMA_REGISTRY_URL: kafka.registryUrl,
  BACKBONE_TEST_RUN: '1',
  // kafkajs 2.2.4 schedules a negative timeout on Node >= 23 (harmless, tulios/kafkajs#1751).
  NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --disable-warning=TimeoutNegativeWarning`.trim(),
}
const nodeTest = (name: string, selected: string[], concurrency: string) =>
  selected.length === 0
    ? Promise.resolve(0)
    : runStep(
        name,
        'node',
        [
          '--test',
          '--test-reporter=spec',
          `--test-concurrency=${concurrency}`,
          '--test-timeout=180000',
          // A file whose cleanup failed (a consumer that did not stop in time) may leave sockets open:
          // its process exits once its tests are done instead of holding the run until CI's limit.
          '--test-force-exit',
          ...selected,
        ],
        testEnv,
      )
// Whole-stack runs (backbone up, the bench and chaos smokes) and multi-node clusters
// (*-cluster.test.ts, three JVMs each) start brokers and services of their own: they run one at a
// time after the rest, so they do not starve concurrent tests on 2 cores.
const heavy = (file: string) =>
  /^test\/e2e\/(up|[a-z-]+-smoke)\.test\.ts$/.test(file) || /-cluster\.test\.ts$/.test(file)
const mainCode = await nodeTest(
  'tests',
  files.filter((file) => !heavy(file)),
  process.env['TEST_CONCURRENCY'] ?? '2',
)
if (needsJaeger) {
  const jaegerStarted = Date.now()
  if ((await jaegerBuild) !== 0) await shutdown(1)
  say(`jaeger ready (waited ${((Date.now() - jaegerStarted) / 1000).toFixed(1)} s for its build)`)
}
const heavyCode = await nodeTest('whole-stack tests', files.filter(heavy), '1')
const code = mainCode !== 0 ? mainCode : heavyCode
say(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s`)
await shutdown(code)
