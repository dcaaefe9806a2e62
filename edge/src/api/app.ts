import type { TSchema } from '@sinclair/typebox';
import { CouplerError } from '@coupler/kit';

/** Who may call a route: anyone (health probes, never rate limited), any key, or an admin key. */
export type RouteAccess = 'public' | 'read' | 'admin';

/** What a route answers: a JSON value, or text of its own content type. */
export type Answer = { status?: number; json: unknown } | { status?: number; contentType: string; text: string };

/** One route of the local API; the table of them also makes the OpenAPI document. */
export interface Route {
  method: 'GET' | 'POST';
  path: string;
  access: RouteAccess;
  summary: string;
  /** The JSON body the route takes, for the OpenAPI document; `handle` checks it. */
  body?: TSchema;
  responses: Readonly<Record<number, TSchema>>;
  handle(request: { body: unknown }): Answer | Promise<Answer>;
}

/** A refusal with its HTTP status and stable code; the caller gets `{ code, message }`. */
export class ApiError extends CouplerError {
  constructor(
    readonly statusCode: number,
    code: string,
    message: string,
  ) {
    super(code, message);
  }
}
