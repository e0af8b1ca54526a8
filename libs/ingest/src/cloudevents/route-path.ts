/** The CloudEvents route of the gateway (docs/ingest-gateway.md). */
export const CLOUDEVENTS_ROUTE = '/v1/cloudevents'
