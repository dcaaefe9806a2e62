/**
 * gRPC metadata key that carries one sync stream's correlation id from the edge to the cloud,
 * so the logs of both sides can be joined on it.
 */
export const CORRELATION_ID_METADATA_KEY = 'x-coupler-correlation-id';

/** What the cloud accepts as a correlation id; anything else is replaced by one of its own. */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
