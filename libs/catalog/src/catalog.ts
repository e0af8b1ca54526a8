/**
 * The event catalog: every event type the backbone carries, where it lives in Kafka and which
 * schema describes it. Adding an event type means one entry here, one `.avsc` under `schemas/`,
 * then `npm run generate` for its TypeScript type. docs/schemas.md explains the choices.
 */

/** What the catalog knows about one event type. */
export interface CatalogEntry {
  /** The Kafka topic that carries this event type (with the others of its topic, if any). */
  readonly topic: string
  /** The schema file, relative to the repository root. */
  readonly schemaFile: string
  /**
   * How the registry subject is named, as Confluent's serializers name it; `TopicName` when
   * absent. A topic that carries several event types names each by its record (docs/schemas.md).
   */
  readonly subjectNameStrategy?: SubjectNameStrategy
  /** The registry subject, as `subjectNameStrategy` names it (`subjectNameFor`). */
  readonly subject: string
  /** The event field whose value is the record key: it decides partitioning and so ordering. */
  readonly keyField: string
  readonly partitions: number
  /** Kafka `retention.ms`; -1 keeps records forever. */
  readonly retentionMs: number
  readonly description: string
}

/**
 * Confluent's subject name strategies (io.confluent.kafka.serializers.subject), by the names its
 * serializers' `subjectNameStrategy` option uses:
 * - `TopicName`: `<topic>-value`; one schema (one event type) per topic.
 * - `TopicRecordName`: `<topic>-<fully.qualified.RecordName>`; several types on one topic, each
 *   type's compatibility checked per topic.
 * - `RecordName`: `<fully.qualified.RecordName>`; one subject per type across every topic.
 */
export const SubjectNameStrategy = {
  TopicName: 'TopicName',
  TopicRecordName: 'TopicRecordName',
  RecordName: 'RecordName',
} as const
export type SubjectNameStrategy = (typeof SubjectNameStrategy)[keyof typeof SubjectNameStrategy]

/** The value subject of a record on a topic under a strategy (`recordName` fully qualified). */
export function subjectNameFor(strategy: SubjectNameStrategy, topic: string, recordName: string): string {
  switch (strategy) {
    case 'TopicName':
      return `${topic}-value`
    case 'TopicRecordName':
      return `${topic}-${recordName}`
    case 'RecordName':
      return recordName
  }
}

const DAY_MS = 24 * 60 * 60 * 1000

export const catalog = {
  // Inputs: published by services at the edge.
  FileUploadCompleted: {
    topic: 'uploads',
    schemaFile: 'schemas/file-upload-completed.avsc',
    subject: 'uploads-value',
    keyField: 'uploadId',
    partitions: 6,
    retentionMs: 7 * DAY_MS,
    description: 'A client finished uploading a file and its bytes are stored.',
  },
  PaymentConfirmed: {
    topic: 'payments',
    schemaFile: 'schemas/payment-confirmed.avsc',
    // payments carries PaymentRefunded too, so each type has its own subject on the topic.
    subjectNameStrategy: 'TopicRecordName',
    subject: 'payments-dev.eventbackbone.events.PaymentConfirmed',
    // By payer: the ledger sees one account's outgoing payments in the order they were confirmed
    // (balance checks depend on it), and a redelivered confirmation lands on the same partition
    // as the original. Credits to the payee commute, so their order across payers does not matter.
    keyField: 'payerAccountId',
    partitions: 12,
    retentionMs: 30 * DAY_MS,
    description: 'A payment provider confirmed that money moved from a payer to a payee.',
  },
  PaymentRefunded: {
    topic: 'payments',
    schemaFile: 'schemas/payment-refunded.avsc',
    subjectNameStrategy: 'TopicRecordName',
    subject: 'payments-dev.eventbackbone.events.PaymentRefunded',
    // By payer, like PaymentConfirmed: a refund lands on its payment's partition, after it, so the
    // ledger's per-partition state knows the payment when the refund arrives.
    keyField: 'payerAccountId',
    partitions: 12,
    retentionMs: 30 * DAY_MS,
    description: 'A payment provider refunded a confirmed payment in full.',
  },
  UserLogin: {
    topic: 'logins',
    schemaFile: 'schemas/user-login.avsc',
    subject: 'logins-value',
    // By user: failure counting per user needs all of one user's attempts on one partition.
    keyField: 'userId',
    partitions: 6,
    retentionMs: 7 * DAY_MS,
    description: 'One login attempt, successful or not.',
  },
  SensorReading: {
    topic: 'sensor-readings',
    schemaFile: 'schemas/sensor-reading.avsc',
    subject: 'sensor-readings-value',
    keyField: 'sensorId',
    partitions: 12,
    retentionMs: 3 * DAY_MS,
    description: 'One measurement from one sensor.',
  },

  // Outputs: written by the domain consumers.
  UploadProcessed: {
    topic: 'uploads-processed',
    schemaFile: 'schemas/upload-processed.avsc',
    subject: 'uploads-processed-value',
    keyField: 'uploadId',
    partitions: 6,
    retentionMs: 7 * DAY_MS,
    description: 'What the upload processor extracted from an upload, or why it rejected it.',
  },
  LedgerPosting: {
    topic: 'ledger',
    schemaFile: 'schemas/ledger-posting.avsc',
    subject: 'ledger-value',
    // By payment: a posting and any later correction of the same payment stay in order.
    keyField: 'paymentId',
    partitions: 12,
    // The ledger is the book of record: kept forever.
    retentionMs: -1,
    description: 'A balanced double-entry posting for one confirmed payment.',
  },
  SecurityAlert: {
    topic: 'security-alerts',
    schemaFile: 'schemas/security-alert.avsc',
    subject: 'security-alerts-value',
    keyField: 'userId',
    partitions: 3,
    retentionMs: 30 * DAY_MS,
    description: 'Too many failed logins for one user within a time window.',
  },
  SensorWindowAggregate: {
    topic: 'sensor-windows',
    schemaFile: 'schemas/sensor-window-aggregate.avsc',
    subject: 'sensor-windows-value',
    keyField: 'sensorId',
    partitions: 12,
    retentionMs: 30 * DAY_MS,
    description: "Statistics of one sensor's readings over one time window.",
  },
} as const satisfies Record<string, CatalogEntry>
