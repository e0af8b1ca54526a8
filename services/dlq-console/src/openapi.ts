const json = (schema: object = { type: 'object' }) => ({ content: { 'application/json': { schema } } })
const errors = {
  '400': {
    description: 'Invalid selection, target or query parameter (the message names it)',
    ...json({ $ref: '#/components/schemas/Error' }),
  },
  '401': { description: 'No token', ...json({ $ref: '#/components/schemas/Error' }) },
  '403': {
    description: 'Wrong token, or a read token where an operator token is needed',
    ...json({ $ref: '#/components/schemas/Error' }),
  },
  '404': { description: 'No such topic, group or job', ...json({ $ref: '#/components/schemas/Error' }) },
  '409': {
    description: 'The job cannot do this now (e.g. pause a job running elsewhere)',
    ...json({ $ref: '#/components/schemas/Error' }),
  },
  '503': { description: 'Kafka unreachable', ...json({ $ref: '#/components/schemas/Error' }) },
}
const replayBody = {
  required: true,
  ...json({
    type: 'object',
    required: ['topic'],
    properties: {
      topic: { type: 'string', description: 'the dead-letter topic' },
      selection: { $ref: '#/components/schemas/Selection' },
      target: { type: 'string', enum: ['retry', 'original'], default: 'retry' },
      ratePerSecond: { type: 'number', minimum: 0, exclusiveMinimum: true },
    },
  }),
}
const operator = [{ operatorToken: [] }]
const jobId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } }

/** The console's HTTP API, hand-written (docs/dlq.md explains the model behind it). */
export const openApi = {
  openapi: '3.1.0',
  info: {
    title: 'event-backbone dlq console',
    version: '1.0.0',
    description:
      'The operator console: consumer groups with lag history, dead-letter topics with depth history, a topic browser, and dead-letter inspection and replay with job control.',
  },
  components: {
    securitySchemes: {
      operatorToken: { type: 'http', scheme: 'bearer' },
      readToken: { type: 'http', scheme: 'bearer' },
    },
    schemas: {
      // The service kit's one error shape (docs/service-kit.md#errors).
      Error: {
        type: 'object',
        required: ['error', 'message', 'requestId'],
        properties: {
          error: { type: 'string' },
          message: { type: 'string' },
          requestId: { type: 'string' },
          code: { type: 'string', description: 'the error catalogue code (docs/errors.md)' },
        },
      },
      Selection: {
        type: 'object',
        additionalProperties: false,
        properties: {
          partitions: { type: 'array', items: { type: 'integer', minimum: 0 } },
          offsets: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                partition: { type: 'integer' },
                from: { type: 'string' },
                to: { type: 'string' },
              },
            },
          },
          since: { type: 'integer', description: 'epoch ms, inclusive' },
          until: { type: 'integer', description: 'epoch ms, exclusive' },
          errorClass: { type: 'array', items: { type: 'string' } },
          errorMessage: { type: 'string' },
          key: { type: 'string' },
          headers: { type: 'object', additionalProperties: { type: 'string' } },
          where: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                path: { type: 'string' },
                op: { enum: ['eq', 'ne', 'contains', 'gt', 'gte', 'lt', 'lte', 'exists'] },
                value: {},
              },
            },
          },
        },
      },
    },
  },
  paths: {
    '/api/topics': {
      get: {
        summary:
          'Dead-letter topics with group, source topic, depth, ages and error classes (scanError when the records could not be read)',
        parameters: [{ name: 'filter', in: 'query', schema: { type: 'string' } }],
        responses: { '200': { description: 'topics', ...json({ type: 'array' }) }, ...errors },
      },
    },
    '/api/topics/{topic}/records': {
      post: {
        summary: 'A page of records matching a selection, decoded',
        parameters: [{ name: 'topic', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: json({
          type: 'object',
          properties: {
            selection: { $ref: '#/components/schemas/Selection' },
            limit: { type: 'integer' },
            after: { type: 'array' },
          },
        }),
        responses: { '200': { description: 'a page; `next` continues it', ...json() }, ...errors },
      },
    },
    '/api/replays/dry-run': {
      post: {
        summary: 'Count and sample what a replay would write; writes nothing',
        requestBody: replayBody,
        responses: { '200': { description: 'report', ...json() }, ...errors },
      },
    },
    '/api/replays': {
      get: {
        summary: 'Replay jobs',
        responses: { '200': { description: 'jobs', ...json({ type: 'array' }) }, ...errors },
      },
      post: {
        summary: 'Start a replay job',
        security: operator,
        requestBody: replayBody,
        responses: { '202': { description: 'started', ...json() }, ...errors },
      },
    },
    '/api/replays/{id}': {
      get: {
        summary: 'One job with its progress',
        parameters: [jobId],
        responses: { '200': { description: 'job', ...json() }, ...errors },
      },
    },
    '/api/replays/{id}/pause': {
      post: {
        summary: 'Pause at the next chunk (only a job this console runs: 409 otherwise)',
        security: operator,
        parameters: [jobId],
        responses: { '202': { description: 'pausing' }, ...errors },
      },
    },
    '/api/replays/{id}/resume': {
      post: {
        summary:
          'Resume a paused job; a job paused or stopped in another process (status paused, or running with no live runner) is taken over and resumed by this console',
        security: operator,
        parameters: [jobId],
        responses: { '202': { description: 'resuming' }, ...errors },
      },
    },
    '/api/replays/{id}/cancel': {
      post: {
        summary:
          'Cancel a job, wherever it runs (a replayer elsewhere is fenced through its transactional id)',
        security: operator,
        parameters: [jobId],
        responses: { '202': { description: 'cancelled' }, ...errors },
      },
    },
    '/api/groups': {
      get: {
        summary: 'Every consumer group: state, members and total lag',
        responses: { '200': { description: 'groups', ...json({ type: 'object' }) }, ...errors },
      },
    },
    '/api/groups/{groupId}': {
      get: {
        summary: 'A group: members, assignments, and per partition the committed offset, end offset and lag',
        parameters: [{ name: 'groupId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'the group', ...json({ type: 'object' }) }, ...errors },
      },
    },
    '/api/groups/{groupId}/reset-offsets': {
      post: {
        summary:
          'Move the group offsets (target: toEarliest, toLatest, toDatetime, byDuration or toOffset; topics; dryRun). Refused with 409 while the group has live members. A dry run needs read access only.',
        security: operator,
        parameters: [{ name: 'groupId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'the plan, applied unless dryRun', ...json({ type: 'object' }) },
          ...errors,
        },
      },
    },
    '/api/groups/{groupId}/lag-history': {
      get: {
        summary:
          'The lag of each partition of the group over the history window, as the metrics timer measured it (DLQ_METRICS_INTERVAL, DLQ_HISTORY_WINDOW); samples oldest first',
        parameters: [{ name: 'groupId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description:
              '{ groupId, intervalMs, windowMs, samples: [{ at, partitions: [{ topic, partition, lag }] }] }',
            ...json({ type: 'object' }),
          },
          ...errors,
        },
      },
    },
    '/api/dead-letters/history': {
      get: {
        summary:
          'Depth and age of the oldest record of every dead-letter topic (or one) over the history window',
        parameters: [{ name: 'topic', in: 'query', schema: { type: 'string' } }],
        responses: {
          '200': {
            description:
              '{ intervalMs, windowMs, topics: [{ topic, samples: [{ at, depth, oldestAgeMs }] }] }',
            ...json({ type: 'object' }),
          },
          ...errors,
        },
      },
    },
    '/api/catalog/topics': {
      get: {
        summary:
          'The catalog topics, their event types, and whether the cluster has them (the browser offers these)',
        responses: {
          '200': { description: '{ topics: [{ topic, eventTypes, exists }] }', ...json() },
          ...errors,
        },
      },
    },
    '/api/browse/{topic}': {
      get: {
        summary:
          'Read a topic: the newest records (default), from partition+offset, from a timestamp, or the records of a key among the last `scan` of each partition; values decoded with their writer schema (raw text or base64 with the reason when not). At most 200 records returned, 20 000 read, 10 s spent (docs/console.md).',
        parameters: [
          { name: 'topic', in: 'path', required: true, schema: { type: 'string' } },
          {
            name: 'partition',
            in: 'query',
            schema: { type: 'integer', minimum: 0 },
            description: 'only this partition (required with offset)',
          },
          {
            name: 'offset',
            in: 'query',
            schema: { type: 'string' },
            description: 'read forward from this offset',
          },
          {
            name: 'timestamp',
            in: 'query',
            schema: { type: 'string' },
            description: 'read forward from the first record at or after this time (epoch ms or ISO 8601)',
          },
          {
            name: 'key',
            in: 'query',
            schema: { type: 'string' },
            description: 'records whose key is exactly this text',
          },
          {
            name: 'scan',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: 20000 },
            description: 'records per partition a key search reads, from the end (default 1000)',
          },
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: 200 },
            description: 'records returned (default 50)',
          },
          {
            name: 'where',
            in: 'query',
            schema: { type: 'string' },
            description:
              'field predicate on the decoded value: path==v, !=, >, >=, <, <=, ~ (contains), path?',
          },
          {
            name: 'q',
            in: 'query',
            schema: { type: 'string' },
            description: 'case-insensitive substring of the decoded key and value',
          },
        ],
        responses: {
          '200': {
            description:
              '{ topic, mode, ranges, bounds, scanned, records: [{ partition, offset, timestamp, key, value, headers }], stopped?: limit|timeout, next? }',
            ...json(),
          },
          ...errors,
        },
      },
    },
    '/api/audit': {
      get: {
        summary: 'The audit trail',
        parameters: [{ name: 'job', in: 'query', schema: { type: 'string' } }],
        responses: { '200': { description: 'records', ...json({ type: 'array' }) }, ...errors },
      },
    },
  },
} as const
