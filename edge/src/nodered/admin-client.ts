import { CouplerError } from '@coupler/kit';
import { EdgeErrorCode } from '../errors.js';
import type { FlowNode } from './template.js';

export interface DeployedFlows {
  rev: string;
  flows: FlowNode[];
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Node-RED's Admin HTTP API, API version 2 (GET/POST /flows with `rev`), authenticated with the
 * edge's deploy token. Every failure is a CPL_ERR_NODERED_ADMIN error naming the request.
 */
export class NodeRedAdminClient {
  constructor(private readonly options: { baseUrl: () => string; token: string }) {}

  private async request(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<unknown> {
    const url = this.options.baseUrl() + path;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.options.token}`,
          'node-red-api-version': 'v2',
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      throw new CouplerError(EdgeErrorCode.noderedAdmin, `Node-RED admin API ${method} ${path} failed: ${(err as Error).message}`, { cause: err });
    }
    const text = await response.text();
    if (!response.ok) {
      throw new CouplerError(EdgeErrorCode.noderedAdmin, `Node-RED admin API ${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`, {
        details: { status: response.status },
      });
    }
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }

  async flows(): Promise<DeployedFlows> {
    const answer = (await this.request('GET', '/flows')) as Partial<DeployedFlows> | undefined;
    return { rev: answer?.rev ?? '', flows: answer?.flows ?? [] };
  }

  /**
   * False while a Node-RED that just started still reads flows.json and flows_cred.json: it
   * answers HTTP before that read ends, and GET /flows answers null until then.
   */
  async hasLoadedFlows(): Promise<boolean> {
    const answer = await this.request('GET', '/flows');
    return answer !== null && answer !== undefined;
  }

  /** Full deployment; with `rev` Node-RED answers 409 when the running flows changed meanwhile. */
  async deploy(flows: readonly FlowNode[], rev: string | undefined): Promise<string> {
    const body = rev === undefined ? { flows } : { rev, flows };
    const answer = (await this.request('POST', '/flows', body, { 'node-red-deployment-type': 'full' })) as { rev?: string } | undefined;
    return answer?.rev ?? '';
  }

  /** Every node type the running Node-RED can create. */
  async nodeTypes(): Promise<Set<string>> {
    const sets = (await this.request('GET', '/nodes')) as { types?: string[]; enabled?: boolean }[];
    return new Set(sets.filter((set) => set.enabled !== false).flatMap((set) => set.types ?? []));
  }
}
