import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '@coupler/kit';

/** The fastify instance of the local API (with our pino logger), as route modules receive it. */
export type ApiApp = FastifyInstance<Server, IncomingMessage, ServerResponse, Logger>;
