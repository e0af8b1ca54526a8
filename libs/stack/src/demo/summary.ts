import type { RunningStack } from '../stack.ts'
import type { DemoSummary } from './run-demo.ts'

/** The summary a person reads at the end of the demo: what happened, and where to look. */
export function formatSummary(summary: DemoSummary, stack: RunningStack): string {
  const url = (name: string) =>
    stack.services.find((service) => service.name === name)?.url ?? '(not running)'
  const published = Object.entries(summary.published)
    .map(([type, count]) => `${count} ${type}`)
    .join(', ')
  return [
    '',
    summary.complete
      ? 'Demo finished: every event reached where it should.'
      : 'Demo ended before every expected output arrived.',
    `  published      ${published}${summary.rejected ? ` (${summary.rejected} rejected)` : ''}`,
    `  uploads        ${summary.uploadsProcessed} processed, ${summary.uploadsDeadLettered} dead-lettered (permanent failure)`,
    `  payments       ${summary.ledgerPostings} ledger postings; duplicate payment ids posted twice: ${summary.duplicatePaymentsPosted}`,
    `  logins         ${summary.securityAlerts} security alert(s) for repeated failures`,
    ...(summary.function
      ? [
          `  function       ${summary.function.invocations} invocation(s) of demo-function by trigger security-alerts (${summary.function.failed} failed), ${summary.function.accepted} alert(s) accepted, est. cost $${summary.function.estimatedCostUsd.toFixed(8)}`,
        ]
      : []),
    `  sensors        ${summary.sensorWindows} window aggregates`,
    `  retries        ${summary.retried} (in place and through retry topics)`,
    `  dead-lettered  ${summary.deadLettered} record(s) across all groups`,
    ...(summary.replay
      ? [
          `  replay         job ${summary.replay.jobId}: dry-run ${summary.replay.dryRunCount}, replayed ${summary.replay.replayed} (${summary.replay.status}); ` +
            `${summary.replay.deadLetteredAgain ? 'processed again by upload-processor, failed again, back in its dead-letter topic' : 'not seen again yet'}`,
        ]
      : []),
    '',
    'Where to look:',
    `  gateway        ${url('ingest-gateway')}  (POST /v1/events/{type}, OpenAPI at /openapi.json)`,
    `  metrics        ${stack.services.map((service) => `${service.url}/metrics`).join('\n                 ')}`,
    `  dead letters   ${url('dlq-console')}`,
    `  triggers       ${url('function-trigger')}/triggers  (backbone triggers status)`,
  ].join('\n')
}
