import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startLocalApi } from '../helpers/local-api.js';
import { ADMIN_KEY, READ_KEY } from '../helpers/security.js';

const read = { authorization: `Bearer ${READ_KEY}` };

describe('local API (node:http, routes by hand)', () => {
  it('limits each client per minute with x-ratelimit headers and a 429 with retry-after, never the probes', async () => {
    const { request } = await startLocalApi({ rateLimitPerMinute: 2 });
    const first = await request('/api/v1/sync', { headers: read });
    expect(first.status).toBe(200);
    expect([first.headers.get('x-ratelimit-limit'), first.headers.get('x-ratelimit-remaining')]).toEqual(['2', '1']);
    expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThan(55);
    // A request without a key counts too: the limit runs before the (scrypt) key check.
    expect((await request('/api/v1/sync')).status).toBe(401);
    const refused = await request('/api/v1/sync', { headers: read });
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.text)).toEqual({ code: 'CPL_ERR_API_RATE_LIMITED', message: expect.stringMatching(/^Rate limit exceeded, retry in \d+ seconds$/) as unknown });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(55);
    for (const probe of ['/healthz', '/readyz', '/healthz']) expect((await request(probe)).status).toBe(200);
    expect((await request('/healthz')).headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('answers unknown paths 401 without a key and 404 with one, and a route only for its method', async () => {
    const { request } = await startLocalApi();
    expect(JSON.parse((await request('/api/v1/secret')).text)).toMatchObject({ code: 'CPL_ERR_API_UNAUTHENTICATED' });
    const missing = await request('/api/v1/secret?x=1', { headers: read });
    expect([missing.status, JSON.parse(missing.text)]).toEqual([404, { code: 'CPL_ERR_API_REQUEST_INVALID', message: 'route GET /api/v1/secret not found' }]);
    expect((await request('/api/v1/quarantine/clear', { headers: read })).status).toBe(404);
  });

  it('answers HEAD like GET without a body', async () => {
    const { request } = await startLocalApi();
    const head = await request('/healthz', { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), head.text]).toEqual([200, '15', '']);
  });

  it('reflects a listed origin, answers a preflight without a key, and sends no CORS headers when it is off', async () => {
    const { request } = await startLocalApi({ corsOrigins: ['https://panel.example'] });
    const listed = await request('/api/v1/buffer', { headers: { ...read, origin: 'https://panel.example' } });
    expect([listed.headers.get('access-control-allow-origin'), listed.headers.get('vary')]).toEqual(['https://panel.example', 'Origin']);
    const other = await request('/api/v1/buffer', { headers: { ...read, origin: 'https://evil.example' } });
    expect([other.status, other.headers.get('access-control-allow-origin')]).toEqual([200, null]);
    const preflight = await request('/api/v1/quarantine/clear', { method: 'OPTIONS', headers: { origin: 'https://panel.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    expect(preflight.status).toBe(204);
    expect(Object.fromEntries(['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers'].map((h) => [h, preflight.headers.get(h)]))).toEqual({
      'access-control-allow-origin': 'https://panel.example',
      'access-control-allow-methods': 'GET,HEAD,POST',
      'access-control-allow-headers': 'authorization,content-type',
    });

    const { request: plain } = await startLocalApi();
    const off = await plain('/api/v1/buffer', { headers: { ...read, origin: 'https://panel.example' } });
    expect([off.headers.get('access-control-allow-origin'), off.headers.get('vary')]).toEqual([null, null]);
    expect((await plain('/api/v1/buffer', { method: 'OPTIONS', headers: { origin: 'https://panel.example', 'access-control-request-method': 'GET' } })).status).toBe(401);
  });

  it('refuses a chunked body over the limit with 413 and a code', async () => {
    const { base, cleared } = await startLocalApi({ bodyLimitBytes: 1024 });
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${base}/api/v1/quarantine/clear`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, timeout: 5000 }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => { resolve({ status: res.statusCode ?? 0, body }); });
      });
      req.on('error', reject);
      req.write(`{"deviceId": "${'x'.repeat(800)}`);
      setTimeout(() => req.end(`${'y'.repeat(800)}"}`), 50);
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: 'Request body is too large' });
    expect(cleared).toEqual([]);
  });

  it('answers a failing source 500 with no detail', async () => {
    const { request } = await startLocalApi({}, { devices: () => { throw new Error('boom at secret.ts:12'); } });
    const failed = await request('/api/v1/devices', { headers: read });
    expect([failed.status, JSON.parse(failed.text)]).toEqual([500, { code: 'CPL_ERR_API_INTERNAL', message: 'internal error' }]);
  });

  it('serves the OpenAPI document of every route to a key holder', async () => {
    const { request } = await startLocalApi({ softwareVersion: '4.5.6' });
    expect((await request('/openapi.json')).status).toBe(401);
    const document = JSON.parse((await request('/openapi.json', { headers: read })).text) as {
      openapi: string;
      info: { version: string };
      security: unknown;
      components: { schemas: Record<string, unknown> };
      paths: Record<string, Record<string, { summary: string; requestBody?: unknown; responses: Record<string, { content: { 'application/json': { schema: Record<string, unknown> } } }> }>>;
    };
    expect([document.openapi, document.info.version, document.security]).toEqual(['3.0.3', '4.5.6', [{ apiKey: [] }]]);
    expect(Object.keys(document.paths)).toEqual(['/healthz', '/readyz', '/metrics', '/api/v1/buffer', '/api/v1/sync', '/api/v1/devices', '/api/v1/nodered', '/api/v1/quarantine', '/api/v1/quarantine/clear']);
    expect(document.paths['/healthz']?.get?.responses['200']?.content['application/json'].schema).toEqual({ type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } });
    const clear = document.paths['/api/v1/quarantine/clear']?.post;
    expect(clear?.requestBody).toMatchObject({ required: true, content: { 'application/json': { schema: { additionalProperties: false, properties: { deviceId: { type: 'string' } } } } } });
    expect(Object.keys(clear?.responses ?? {})).toEqual(['200', '400', '401', '403', '413', '415', '429', '500']);
    expect(clear?.responses['403']?.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorAnswer' });
    expect(document.components.schemas.ErrorAnswer).toMatchObject({ type: 'object', required: ['code', 'message'], title: 'ErrorAnswer' });
  });
});
