import { parseArgs } from 'node:util'
import {
  type CatalogEntry,
  catalogEntry,
  type EventType,
  eventTypes,
  recordNameOf,
  schemaText,
  subjectNameFor,
} from '@event-backbone/catalog'
import { RegistryUnavailableError, UsageError } from '@event-backbone/errors'
import { ConfluentRegistryClient, EventSerde } from '@event-backbone/serde'
import { resolveRegistryUrl } from './brokers.ts'
import { schemasAtRevision, schemasInTree } from './git-schemas.ts'
import { emit } from './output.ts'
import { schemaChanges, strongest } from './schema-bump.ts'

export const schemasUsage = `usage: backbone schemas <register|check> [--registry URL | --against GIT-REVISION] [--json]
  register  registers every catalog schema under its subject: <topic>-value, or
            <topic>-<record name> for a topic that carries several event types
  check     checks the working tree's schemas against the registry's latest versions under each
            subject's compatibility level; exits 1 and explains when a change would break consumers.
            An event type whose subject is new but whose topic's <topic>-value subject holds the
            same record (it moved to TopicRecordNameStrategy) is checked against that subject
  check --against REV
            checks them against the schemas of a git revision instead (offline, BACKWARD), and says
            which version of @event-backbone/catalog the change needs: major when it would break
            consumers (exit 1), minor for a new event type or a compatible change, patch for docs`

const contentType = 'application/vnd.schemaregistry.v1+json'

interface CheckResult {
  readonly eventType: string
  readonly subject: string
  readonly strategy: string
  readonly status: 'new' | 'compatible' | 'incompatible'
  readonly messages: readonly string[]
  /** The subject the result was checked against, when not `subject` (a subject that moved). */
  readonly checkedAgainst?: string
}

async function checkOne(
  registryUrl: string,
  eventType: string,
  subject: string,
  schema: string,
): Promise<Omit<CheckResult, 'strategy'>> {
  let response: Response
  try {
    response = await fetch(
      `${registryUrl}/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest?verbose=true`,
      {
        method: 'POST',
        headers: { 'content-type': contentType, accept: contentType },
        body: JSON.stringify({ schema }),
        signal: AbortSignal.timeout(10_000),
      },
    )
  } catch (error) {
    throw new RegistryUnavailableError(`the schema registry at ${registryUrl} did not answer`, {
      cause: error,
    })
  }
  const body = (await response.json().catch(() => ({}))) as {
    is_compatible?: boolean
    messages?: string[]
    error_code?: number
    message?: string
  }
  if (response.status === 404 && (body.error_code === 40401 || body.error_code === 40402)) {
    return { eventType, subject, status: 'new', messages: [] }
  }
  if (!response.ok) {
    throw new RegistryUnavailableError(
      `the schema registry answered ${response.status} for ${subject}: ${body.message ?? 'no message'}`,
    )
  }
  return {
    eventType,
    subject,
    status: body.is_compatible ? 'compatible' : 'incompatible',
    messages: body.messages ?? [],
  }
}

/** The record name of the latest schema under `subject`, or undefined when there is none. */
async function latestRecordName(registryUrl: string, subject: string): Promise<string | undefined> {
  const response = await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}/versions/latest`, {
    headers: { accept: contentType },
    signal: AbortSignal.timeout(10_000),
  }).catch((error: unknown) => {
    throw new RegistryUnavailableError(`the schema registry at ${registryUrl} did not answer`, {
      cause: error,
    })
  })
  if (!response.ok) return undefined
  const body = (await response.json().catch(() => ({}))) as { schema?: string; schemaType?: string }
  if (body.schemaType !== undefined && body.schemaType !== 'AVRO') return undefined
  try {
    const parsed = JSON.parse(body.schema ?? '') as { name?: string; namespace?: string }
    if (typeof parsed.name !== 'string') return undefined
    return parsed.name.includes('.') || !parsed.namespace ? parsed.name : `${parsed.namespace}.${parsed.name}`
  } catch {
    return undefined
  }
}

/**
 * One event type against the registry. A type whose topic carries several types has a subject of
 * its own (TopicRecordNameStrategy); when that subject is new but `<topic>-value` holds versions
 * of the same record, written while the topic had one type, those are what consumers read, so the
 * schema is checked against them: moving the subject must not reset the compatibility history.
 */
async function checkEventType(registryUrl: string, eventType: EventType): Promise<CheckResult> {
  const entry: CatalogEntry = catalogEntry(eventType)
  const strategy = entry.subjectNameStrategy ?? 'TopicName'
  const schema = schemaText(eventType)
  const own = await checkOne(registryUrl, eventType, entry.subject, schema)
  const legacy = subjectNameFor('TopicName', entry.topic, recordNameOf(eventType))
  if (own.status !== 'new' || legacy === entry.subject) return { ...own, strategy }
  if ((await latestRecordName(registryUrl, legacy)) !== recordNameOf(eventType)) return { ...own, strategy }
  const moved = await checkOne(registryUrl, eventType, legacy, schema)
  return { ...moved, subject: entry.subject, strategy, checkedAgainst: legacy }
}

function checkAgainstRevision(revision: string, json: boolean): number {
  const dir = process.cwd()
  const changes = schemaChanges(schemasAtRevision(dir, revision), schemasInTree(dir))
  const bump = strongest(...changes.map((change) => change.bump))
  const broken = changes.filter((change) => change.bump === 'major')
  const human = changes
    .filter((change) => change.change !== 'unchanged')
    .map((change) =>
      [
        `${change.bump === 'major' ? '✖' : '✔'} ${change.eventType}: ${change.change} (${change.bump})`,
        ...change.messages.map((message) => `    ${message}`),
      ].join('\n'),
    )
    .concat(
      bump === 'none'
        ? [`no schema changed since ${revision}`]
        : [`@event-backbone/catalog needs a ${bump} version for the schema changes since ${revision}`],
    )
    .join('\n')
  emit(json, { against: revision, bump, compatible: broken.length === 0, changes }, human)
  return broken.length === 0 ? 0 : 1
}

async function check(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      registry: { type: 'string' },
      against: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  })
  if (values.against !== undefined) {
    if (values.registry !== undefined) throw new UsageError('give --registry or --against, not both')
    return checkAgainstRevision(values.against, values.json)
  }
  const registryUrl = resolveRegistryUrl(values.registry)
  const results: CheckResult[] = []
  for (const eventType of eventTypes()) results.push(await checkEventType(registryUrl, eventType))
  const broken = results.filter((result) => result.status === 'incompatible')
  const width = Math.max(...results.map((result) => result.subject.length))
  const human = results
    .map((result) => {
      const against = result.checkedAgainst ? ` (against ${result.checkedAgainst}, where it was before)` : ''
      const line = `${result.status === 'incompatible' ? '✖' : '✔'} ${result.subject.padEnd(width)} ${result.eventType}: ${result.status}${against}`
      return [line, ...result.messages.map((message) => `    ${message}`)].join('\n')
    })
    .concat(
      broken.length === 0
        ? ['all schemas can be registered without breaking consumers']
        : [
            `${broken.length} schema change(s) would break consumers of the data already written: evolve by adding fields with defaults (docs/schemas.md)`,
          ],
    )
    .join('\n')
  emit(values.json, { registry: registryUrl, compatible: broken.length === 0, results }, human)
  return broken.length === 0 ? 0 : 1
}

async function register(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { registry: { type: 'string' }, json: { type: 'boolean', default: false } },
  })
  const registryUrl = resolveRegistryUrl(values.registry)
  const serde = new EventSerde(new ConfluentRegistryClient(registryUrl, { retries: 1 }))
  const registered = []
  for (const eventType of eventTypes()) {
    registered.push({
      eventType,
      subject: catalogEntry(eventType).subject,
      id: await serde.schemaId(eventType),
    })
  }
  const width = Math.max(...registered.map((entry) => entry.subject.length))
  emit(
    values.json,
    { registry: registryUrl, registered },
    registered
      .map((entry) => `${entry.subject.padEnd(width)} id ${entry.id}  (${entry.eventType})`)
      .join('\n'),
  )
  return 0
}

export async function schemasCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args
  if (sub === 'check') return check(rest)
  if (sub === 'register') return register(rest)
  throw new UsageError(sub ? `unknown schemas command '${sub}'\n${schemasUsage}` : schemasUsage)
}
