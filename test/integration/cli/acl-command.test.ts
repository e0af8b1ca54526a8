// Proves `backbone acl plan|apply` shows the diff against a secured cluster and applies the plan declaratively for the manifest's principals only, and `acl users set` rotates a SCRAM password.
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { after, before, test } from 'node:test'
import { type AclEntry, type Admin, Kafka } from 'kafkajs'
import { type AclBinding, accessManifest, currentAcls, planAcls } from '#libs/access'
import { kafkaConfigFromEnv } from '#libs/kafka'
import { cliPath, repoRoot, runCli } from '../../helpers/cli.ts'
import { type SecuredKafka, startSecuredKafka } from '../../helpers/secured-kafka.ts'

let secured: SecuredKafka
let admin: Admin

before(async () => {
  secured = await startSecuredKafka([])
  admin = secured.kafka('admin').admin()
  await admin.connect()
})

after(async () => {
  await admin?.disconnect()
  await secured?.broker.stop()
})

// TOPIC=2, LITERAL=3, READ=3, ALLOW=3 (the protocol's numbers).
const readUploads = (principal: string) =>
  ({
    resourceType: 2,
    resourceName: 'uploads',
    resourcePatternType: 3,
    principal,
    host: '*',
    operation: 3,
    permissionType: 3,
  }) as unknown as AclEntry

interface Diff {
  toAdd: AclBinding[]
  toRemove: AclBinding[]
}

async function acl(...args: string[]) {
  const result = await runCli(
    ['acl', ...args, '--brokers', secured.broker.bootstrap, '--json'],
    secured.env('admin'),
  )
  assert.equal(result.status, 0, result.stderr)
  return JSON.parse(result.stdout) as { diff?: Diff; applied?: Diff; bindings?: AclBinding[] }
}

test('plan against the cluster lists every binding to add; apply adds them, removes a stray one and keeps foreign ACLs', async () => {
  const plan = planAcls(accessManifest)
  await admin.createAcls({ acl: [readUploads('User:payments-ledger'), readUploads('User:someone-else')] })

  const planned = await acl('plan')
  assert.equal(planned.bindings?.length, plan.length)
  assert.equal(planned.diff?.toAdd.length, plan.length)
  assert.deepEqual(
    planned.diff?.toRemove.map((binding) => `${binding.principal} ${binding.resourceName}`),
    ['User:payments-ledger uploads'],
  )

  const applied = await acl('apply')
  assert.equal(applied.applied?.toAdd.length, plan.length)
  assert.equal(applied.applied?.toRemove.length, 1)

  const again = await acl('plan')
  assert.deepEqual(again.diff?.toAdd, [])
  assert.deepEqual(again.diff?.toRemove, [])
  const principals = new Set((await currentAcls(admin)).map((acl) => acl.binding?.principal))
  assert.ok(principals.has('User:someone-else'), 'ACLs of principals outside the manifest are left alone')
})

test('apply with a wrong admin password ends with one line naming the user', async () => {
  const result = await runCli(
    ['acl', 'apply', '--brokers', secured.broker.bootstrap],
    secured.env('admin', 'wrong-password'),
  )
  assert.equal(result.status, 1)
  assert.match(result.stderr, /^backbone: Kafka refused the credentials of admin: .* \[EB_KAFKA_AUTH\]\n$/)
})

function runWithStdin(args: string[], env: NodeJS.ProcessEnv, input: string) {
  return new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [cliPath, ...args],
      { cwd: repoRoot, env: { ...process.env, ...env }, timeout: 120_000 },
      (error, _stdout, stderr) => resolve({ status: error ? (error.code as number) : 0, stderr }),
    )
    child.stdin?.end(input)
  })
}

test('acl users set creates a SCRAM user from stdin, and setting it again rotates the password', async () => {
  const connects = async (password: string) => {
    const client = new Kafka(
      kafkaConfigFromEnv(secured.env('rotated', password), { retry: { retries: 0 } }),
    ).admin()
    try {
      await client.connect()
      return true
    } catch {
      return false
    } finally {
      await client.disconnect()
    }
  }
  const set = (password: string) =>
    runWithStdin(
      ['acl', 'users', 'set', 'rotated', '--brokers', secured.broker.bootstrap],
      secured.env('admin'),
      `${password}\n`,
    )
  assert.equal((await set('first-secret')).status, 0)
  assert.equal(await connects('first-secret'), true)
  const rotated = await set('second-secret')
  assert.equal(rotated.status, 0, rotated.stderr)
  assert.equal(await connects('second-secret'), true)
  assert.equal(await connects('first-secret'), false)
})
