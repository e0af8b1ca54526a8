import type { EventType } from '@event-backbone/catalog'
import { fixedTopic, idPrefix } from '#libs/kafka'

/**
 * Who may do what on Kafka, in one place. Principal names are SCRAM user names and equal the
 * service names of the stack (libs/stack); group ids are the consumer groups the services use, so a
 * service can import its group id from here instead of spelling it twice.
 */
export interface ServiceAccess {
  /** Event types it publishes: WRITE on their catalog topics, nothing else. */
  readonly publishes: readonly EventType[]
  /** Event types its consumer group reads. Needs `group`. */
  readonly consumes?: readonly EventType[]
  /** Its consumer group: owns `<group>.`-prefixed retry and dead-letter topics. */
  readonly group?: string
  /** Exactly-once: transactional ids `<group>.<topic>.<partition>` (transactionalIdFor). */
  readonly exactlyOnce?: boolean
  /**
   * Its changelog-backed state stores (libs/state): each restores through a throwaway consumer
   * group `<group>.<store>.changelog.restore.<uuid>`, so it needs READ on that group prefix.
   */
  readonly stores?: readonly string[]
  /** More SCRAM users with the same grants: a second user while its credentials are rotated. */
  readonly alsoAs?: readonly string[]
}

export interface RegistryAccess {
  readonly principal: string
  /** The compacted storage topic (`_schemas`); the writer's transactional id derives from it. */
  readonly topic: string
}

export interface ReplayerAccess {
  readonly principal: string
  readonly jobsTopic: string
  readonly auditTopic: string
  /** `replay-<jobId>` (libs/dlq replayTransactionalId). */
  readonly transactionalIdPrefix: string
  /** Readers of dead-letter topics use throw-away groups with this prefix. */
  readonly readerGroupPrefix: string
}

export interface AccessManifest {
  /** The super user: the broker itself and operator tooling (topic provisioning, ACLs). */
  readonly admin: string
  readonly services: Readonly<Record<string, ServiceAccess>>
  readonly registry: RegistryAccess
  readonly replayer: ReplayerAccess
}

/** The backbone's own principals. Group ids equal service names. */
export const accessManifest = {
  admin: 'admin',
  services: {
    'ingest-gateway': {
      publishes: ['FileUploadCompleted', 'PaymentConfirmed', 'PaymentRefunded', 'UserLogin', 'SensorReading'],
    },
    'upload-processor': {
      publishes: ['UploadProcessed'],
      consumes: ['FileUploadCompleted'],
      group: 'upload-processor',
    },
    'payments-ledger': {
      publishes: ['LedgerPosting'],
      consumes: ['PaymentConfirmed', 'PaymentRefunded'],
      group: 'payments-ledger',
      exactlyOnce: true,
      stores: ['posted-payments'],
    },
    'login-monitor': {
      publishes: ['SecurityAlert'],
      consumes: ['UserLogin'],
      group: 'login-monitor',
    },
    'sensor-aggregator': {
      publishes: ['SensorWindowAggregate'],
      consumes: ['SensorReading'],
      group: 'sensor-aggregator',
      exactlyOnce: true,
      stores: ['sensor-windows'],
    },
    // One group per trigger of deploy/triggers.yaml (function-trigger-<trigger name>); a triggers
    // file with more triggers needs their groups here too.
    'function-trigger': {
      publishes: [],
      consumes: ['SecurityAlert'],
      group: 'function-trigger-security-alerts',
    },
    // Reached over HTTP only: no Kafka access.
    'demo-function': { publishes: [] },
  },
  registry: { principal: 'schema-registry', topic: fixedTopic.registry },
  replayer: {
    principal: 'dlq-console',
    jobsTopic: fixedTopic.replayJobs,
    auditTopic: fixedTopic.replayAudit,
    transactionalIdPrefix: idPrefix.replayTransaction,
    readerGroupPrefix: idPrefix.dlqReaderGroup,
  },
} as const satisfies AccessManifest

/** The consumer group id of a service in the manifest (what its consumer runtime must use). */
export function groupIdOf(service: keyof typeof accessManifest.services): string | undefined {
  const access: ServiceAccess = accessManifest.services[service]
  return access.group
}
