import { parseArgs } from 'node:util'
import { UsageError } from '@event-backbone/errors'
import { Header } from '../../consumer/index.ts'
import {
  dryRun,
  inspect,
  JobAction,
  JobManager,
  listDeadLetterTopics,
  planReplay,
  ReplayTarget,
  readAudit,
} from '../../dlq/index.ts'
import { startTracing } from '../../tracing/index.ts'
import { connectionOptions, type DlqContext, dlqContext } from './dlq/context.ts'
import { progressBar } from './dlq/progress-bar.ts'
import { selectionFromFlags, selectionOptions, selectionUsage } from './dlq/selection-flags.ts'
import { emit, untilSignal } from './output.ts'

export const dlqUsage = `usage: backbone dlq <list|show|replay|jobs|audit> [options]

  list [--filter TEXT]                    dead-letter topics: group, source, depth, ages, error classes
  show <dlt> [selection] [--limit N] [--after P:OFFSET,...]
                                          records with decoded key/value and dead-letter headers
  replay <dlt> [selection] [--target retry|original] [--rate N] [--by NAME] [--yes]
                                          without --yes: a dry-run (count and sample), nothing written;
                                          with --yes: runs the job (default target: the failing
                                          group's first retry topic), a progress bar on stderr;
                                          Ctrl-C stops it, resumable with --resume
  replay --resume <job-id> [--yes]        resumes a job after its last committed progress
  jobs [--json]                           replay jobs and their progress
  jobs cancel <job-id>                    cancels a job (fences a replayer still running it)
  jobs resume <job-id>                    resumes a paused or stopped job here (as replay --resume --yes)
  audit [--job ID]                        the replay audit trail

common: --brokers host:port (else KAFKA_BROKERS), --registry URL (else SCHEMA_REGISTRY_URL, else
        http://127.0.0.1:8081; values it cannot decode are shown as text or base64),
        --json (one JSON document on stdout)

${selectionUsage}`

function ageText(ms: number | undefined): string {
  if (ms === undefined) return '-'
  const s = Math.round(ms / 1000)
  return s < 120
    ? `${s}s`
    : s < 7200
      ? `${Math.round(s / 60)}m`
      : s < 172_800
        ? `${Math.round(s / 3600)}h`
        : `${Math.round(s / 86_400)}d`
}

async function list(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { ...connectionOptions, filter: { type: 'string' } } })
  const ctx = await dlqContext(values)
  const topics = await listDeadLetterTopics(
    ctx.kafka,
    values.filter === undefined ? {} : { filter: values.filter },
  )
  const human =
    topics.length === 0
      ? 'no dead-letter topics'
      : topics
          .map(
            (t) =>
              `${t.topic}\n  group ${t.group ?? '?'}  source ${t.sourceTopic ?? '?'}  depth ${t.depth}  oldest ${ageText(t.oldestAgeMs)}  newest ${ageText(t.newestAgeMs)}\n  ${
                t.scanError === undefined
                  ? Object.entries(t.errorClasses)
                      .map(([c, n]) => `${c}: ${n}`)
                      .join(', ') || 'empty'
                  : `records not read: ${t.scanError}`
              }`,
          )
          .join('\n')
  emit(values.json, topics, human)
  return 0
}

async function show(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...connectionOptions,
      ...selectionOptions,
      limit: { type: 'string' },
      after: { type: 'string' },
    },
  })
  const topic = positionals[0]
  if (!topic) throw new UsageError(`dlq show needs a dead-letter topic\n${dlqUsage}`)
  const ctx = await dlqContext(values)
  const after = values.after?.split(',').map((pair) => {
    const [partition, offset] = pair.split(':')
    if (!/^\d+$/.test(partition ?? '') || !/^\d+$/.test(offset ?? ''))
      throw new UsageError(`--after needs P:OFFSET,..., not '${values.after}'`)
    return { partition: Number(partition), offset: offset! }
  })
  const page = await inspect({
    kafka: ctx.kafka,
    ...(ctx.serde ? { serde: ctx.serde } : {}),
    topic,
    selection: selectionFromFlags(values),
    limit: values.limit === undefined ? 20 : Number(values.limit),
    ...(after ? { after } : {}),
  })
  const human = [
    ...page.records.map((r) => {
      const value =
        r.value.kind === 'avro'
          ? JSON.stringify(r.value.value)
          : (r.value.text ?? `base64:${r.value.base64 ?? ''}`)
      const key = r.key.kind === 'avro' ? JSON.stringify(r.key.value) : (r.key.text ?? r.key.base64 ?? 'null')
      const headers = Object.entries(r.headers)
        .filter(([name]) => name !== Header.errorClass && name !== Header.errorMessage)
        .map(([name, text]) => `  ${name.padEnd(24)} ${text}`)
      return [
        `${r.partition}:${r.offset}  ${new Date(Number(r.timestamp)).toISOString()}  ${r.headers[Header.errorClass] ?? '?'}: ${r.headers[Header.errorMessage] ?? ''}`,
        `  key ${key}`,
        `  value ${value}`,
        ...headers,
      ].join('\n')
    }),
    page.next
      ? `more: --after ${page.next.map((n) => `${n.partition}:${n.offset}`).join(',')}`
      : `${page.records.length} record(s)`,
  ].join('\n')
  emit(values.json, page, human)
  return 0
}

function jobManager(ctx: DlqContext): JobManager {
  return new JobManager({ kafka: ctx.kafka, serde: ctx.serde })
}

async function runJob(
  ctx: DlqContext,
  json: boolean,
  job: Parameters<JobManager['start']>[0],
): Promise<number> {
  // A replay run from here is traced like one the console runs (docs/tracing.md) when
  // OTEL_EXPORTER_OTLP_ENDPOINT is set; its spans are flushed before the command returns.
  const tracing = startTracing('backbone-cli')
  try {
    return await runTracedJob(ctx, json, job)
  } finally {
    await tracing.shutdown()
  }
}

async function runTracedJob(
  ctx: DlqContext,
  json: boolean,
  job: Parameters<JobManager['start']>[0],
): Promise<number> {
  const jobs = jobManager(ctx)
  const run = jobs.start(job)
  if (!json) run.on('progress', progressBar())
  const stopped = untilSignal().then(() => 'signal' as const)
  const outcome = await Promise.race([run.done, stopped])
  if (outcome === 'signal') {
    await jobs.control(run.id, JobAction.pause, ctx.operator)
    process.stderr.write(`\nstopped; resume with: backbone dlq replay --resume ${run.id} --yes\n`)
    return 130
  }
  if (!json) process.stderr.write('\n')
  emit(
    json,
    outcome,
    `job ${outcome.spec.id} ${outcome.status}: ${outcome.counts.replayed} replayed to ${outcome.spec.targetTopic}, ${outcome.counts.unmatched} not selected, ${outcome.counts.skipped} skipped (already replayed by this job)`,
  )
  return 0
}

async function replay(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...connectionOptions,
      ...selectionOptions,
      target: { type: 'string', default: 'retry' },
      rate: { type: 'string' },
      by: { type: 'string' },
      yes: { type: 'boolean', default: false },
      resume: { type: 'string' },
    },
  })
  const ctx = await dlqContext(values)
  const serde = ctx.serde ? { serde: ctx.serde } : {}
  if (values.resume) {
    return runJob(ctx, values.json, { jobId: values.resume, by: ctx.operator })
  }
  const topic = positionals[0]
  if (!topic) throw new UsageError(`dlq replay needs a dead-letter topic\n${dlqUsage}`)
  if (!Object.values(ReplayTarget).includes(values.target as ReplayTarget)) {
    throw new UsageError(`--target needs to be retry or original, not '${values.target}'`)
  }
  const rate = values.rate === undefined ? undefined : Number(values.rate)
  const spec = await planReplay(ctx.kafka, {
    topic,
    selection: selectionFromFlags(values),
    target: values.target as ReplayTarget,
    ...(rate === undefined ? {} : { ratePerSecond: rate }),
    by: ctx.operator,
  })
  if (!values.yes) {
    const report = await dryRun({ kafka: ctx.kafka, ...serde, spec })
    const overlap =
      report.overlappingJobs.length > 0
        ? `\nnote: ${report.overlappingJobs.length} earlier job(s) covered these offsets (${report.overlappingJobs.map((j) => `${j.id} ${j.status} by ${j.createdBy}`).join('; ')}); running this is a new job and replays them again`
        : ''
    const human = `dry-run: ${report.wouldReplay} of ${report.scanned} record(s) would be replayed to ${spec.targetTopic} (group ${spec.group})\n${report.sample
      .map(
        (s) =>
          `  ${s.record.partition}:${s.record.offset} key ${s.record.key.text ?? s.record.key.base64 ?? 'null'} → ${s.to}`,
      )
      .join('\n')}${overlap}\nnothing written; add --yes to run it`
    emit(values.json, { dryRun: true, ...report }, human)
    return 0
  }
  return runJob(ctx, values.json, { spec })
}

async function jobs(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...connectionOptions, by: { type: 'string' } },
  })
  const ctx = await dlqContext(values)
  const jobs = jobManager(ctx)
  if (positionals[0] === JobAction.resume) {
    const id = positionals[1]
    if (!id) throw new UsageError('dlq jobs resume needs a job id')
    return runJob(ctx, values.json, { jobId: id, by: ctx.operator })
  }
  if (positionals[0] === JobAction.cancel) {
    const id = positionals[1]
    if (!id) throw new UsageError('dlq jobs cancel needs a job id')
    await jobs.control(id, JobAction.cancel, ctx.operator)
    const state = await jobs.get(id)
    emit(values.json, state, `job ${id} cancelled after ${state?.counts.replayed ?? 0} replayed`)
    return 0
  }
  if (positionals[0] !== undefined) throw new UsageError(`unknown dlq jobs command '${positionals[0]}'`)
  const all = await jobs.list()
  emit(
    values.json,
    all,
    all.length === 0
      ? 'no replay jobs'
      : all
          .map(
            (j) =>
              `${j.spec.id}  ${j.status}  ${j.spec.topic} → ${j.spec.targetTopic}  ${j.counts.replayed} replayed  by ${j.spec.createdBy} ${new Date(j.spec.createdAt).toISOString()}`,
          )
          .join('\n'),
  )
  return 0
}

async function audit(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { ...connectionOptions, job: { type: 'string' } } })
  const ctx = await dlqContext(values)
  const records = await readAudit(ctx.kafka, values.job === undefined ? {} : { jobId: values.job })
  emit(
    values.json,
    records,
    records.length === 0
      ? 'no audit records'
      : records
          .map(
            (r) =>
              `${new Date(r.at).toISOString()}  ${r.event.padEnd(9)}  ${r.jobId}  by ${r.by}  ${r.topic} → ${r.targetTopic}  ${r.counts.replayed} replayed`,
          )
          .join('\n'),
  )
  return 0
}

export async function dlqCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args
  switch (sub) {
    case 'list':
      return list(rest)
    case 'show':
      return show(rest)
    case 'replay':
      return replay(rest)
    case 'jobs':
      return jobs(rest)
    case 'audit':
      return audit(rest)
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${dlqUsage}\n`)
      return 0
    default:
      throw new UsageError(sub ? `unknown dlq command '${sub}'\n${dlqUsage}` : dlqUsage)
  }
}
