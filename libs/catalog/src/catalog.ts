/**
 * The event catalog: every event type the backbone carries, where it lives in Kafka and which
 * schema describes it. Adding an event type means one entry here, one `.avsc` under `schemas/`,
 * then `npm run generate` for its TypeScript type. docs/schemas.md explains the choices.
 */

/** What the catalog knows about one event type. */
export interface CatalogEntry {
  /** The Kafka topic that carries this event type (and nothing else). */
  readonly topic: string
  /** The schema file, relative to the repository root. */
  readonly schemaFile: string
  /** The registry subject, by TopicNameStrategy: `<topic>-value`. */
  readonly subject: string
  /** The event field whose value is the record key: it decides partitioning and so ordering. */
  readonly keyField: string
  readonly partitions: number
  /** Kafka `retention.ms`; -1 keeps records forever. */
  readonly retentionMs: number
  readonly description: string
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
    subject: 'payments-value',
    // By payer: the ledger sees one account's outgoing payments in the order they were confirmed
    // (balance checks depend on it), and a redelivered confirmation lands on the same partition
    // as the original. Credits to the payee commute, so their order across payers does not matter.
    keyField: 'payerAccountId',
    partitions: 12,
    retentionMs: 30 * DAY_MS,
    description: 'A payment provider confirmed that money moved from a payer to a payee.',
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
