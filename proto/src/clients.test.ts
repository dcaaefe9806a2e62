import { Metadata, Server, ServerCredentials, credentials, type MethodDefinition, type ServiceDefinition } from '@grpc/grpc-js';
import fc from 'fast-check';
import type protobuf from 'protobufjs/light.js';
import { describe, expect, it } from 'vitest';
import { gatewayClient, gatewayMethod, type GatewayServiceName } from './clients.js';
import type { EnrollResponse__Output } from './generated/coupler/identity/v1/EnrollResponse.js';
import { loadCouplerProto } from './load.js';
import { couplerRoot } from './reflection.js';

const GATEWAY_SERVICES: readonly GatewayServiceName[] = ['coupler.sync.v1.SyncService', 'coupler.identity.v1.EnrolmentService', 'coupler.ota.v1.ArtifactService'];

function protoLoaderService(name: GatewayServiceName): ServiceDefinition {
  return loadCouplerProto().packageDefinition[name] as ServiceDefinition;
}

const UINT64 = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const SCALARS: Record<string, fc.Arbitrary<unknown>> = {
  string: fc.string({ maxLength: 12 }),
  bool: fc.boolean(),
  double: fc.double({ noNaN: true }),
  float: fc.float({ noNaN: true }),
  int32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  sint32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  uint32: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  uint64: UINT64,
  fixed64: UINT64,
  int64: UINT64,
  bytes: fc.uint8Array({ maxLength: 16 }).map((bytes) => Buffer.from(bytes)),
};

/** Any message of `type`, nested to `depth`: every field kind, at most one field of each oneof. */
function messageOf(type: protobuf.Type, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const fieldValue = (field: protobuf.Field): fc.Arbitrary<unknown> => {
    const resolved = field.resolve().resolvedType;
    let single: fc.Arbitrary<unknown>;
    if (resolved && 'values' in resolved) single = fc.constantFrom(...Object.keys((resolved).values));
    else if (resolved) single = depth > 0 ? messageOf(resolved, depth - 1) : fc.constant({});
    else {
      const scalar = SCALARS[field.type];
      if (!scalar) throw new Error(`no arbitrary for ${type.fullName}.${field.name} (${field.type})`);
      single = scalar;
    }
    if (field.map) return fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), single, { maxKeys: 3 });
    return field.repeated ? fc.array(single, { maxLength: 3 }) : single;
  };
  const plain = type.fieldsArray.filter((field) => !field.partOf);
  const oneofs = type.oneofsArray.map((oneof) =>
    fc.option(fc.oneof(...oneof.fieldsArray.map((field) => fieldValue(field).map((value) => ({ [field.name]: value })))), { nil: {} }),
  );
  return fc
    .tuple(fc.record(Object.fromEntries(plain.map((field) => [field.name, fieldValue(field)])), { requiredKeys: [] }), ...oneofs)
    .map(([fields, ...chosen]) => Object.assign({}, fields, ...chosen) as Record<string, unknown>);
}

describe('gateway clients from the generated descriptor', () => {
  it.each(GATEWAY_SERVICES)('%s: the same methods, paths and streaming as proto-loader gives', (name) => {
    const ours = gatewayClient(name).service;
    const theirs = protoLoaderService(name);
    const shape = (definition: ServiceDefinition) =>
      Object.fromEntries(Object.entries(definition).map(([method, { path, requestStream, responseStream, originalName }]) => [method, { path, requestStream, responseStream, originalName }]));
    expect(shape(ours)).toEqual(shape(theirs));
    expect(Object.keys(ours).length).toBeGreaterThan(0);
  });

  // Both sides of every method: a gateway client must write the bytes, and read the objects, that
  // the cloud's proto-loader definitions do, for any message.
  it.each(GATEWAY_SERVICES)('%s: any message encodes to the same bytes and decodes to the same object', (name) => {
    const theirs = protoLoaderService(name);
    for (const [method, theirMethod] of Object.entries(theirs)) {
      const ours = gatewayMethod<object, object>(name, method);
      const reflected = couplerRoot().lookupService(name).methods[method];
      if (!reflected?.resolvedRequestType || !reflected.resolvedResponseType) throw new Error(`${name}.${method} unresolved`);
      const sides: [fc.Arbitrary<Record<string, unknown>>, (d: MethodDefinition<object, object>) => [(v: object) => Buffer, (b: Buffer) => object]][] = [
        [messageOf(reflected.resolvedRequestType, 2), (d) => [d.requestSerialize, d.requestDeserialize]],
        [messageOf(reflected.resolvedResponseType, 2), (d) => [d.responseSerialize, d.responseDeserialize]],
      ];
      for (const [messages, side] of sides) {
        const [ourSerialize, ourDeserialize] = side(ours);
        const [theirSerialize, theirDeserialize] = side(theirMethod as MethodDefinition<object, object>);
        fc.assert(
          fc.property(messages, (message) => {
            const bytes = theirSerialize(message);
            expect(ourSerialize(message)).toEqual(bytes);
            expect(ourDeserialize(bytes)).toEqual(theirDeserialize(bytes));
          }),
          { numRuns: 200 },
        );
      }
    }
  });

  it('a client made here calls a server made from proto-loader over real gRPC', async () => {
    const server = new Server();
    server.addService(loadCouplerProto().identity.EnrolmentService.service, {
      Enroll: (call: { request: { bootstrapToken: string; csrPem: string } }, callback: (err: null, response: object) => void) => {
        callback(null, { certificatePem: `cert for ${call.request.csrPem}`, caCertificatePem: call.request.bootstrapToken, gatewayId: 'gw-7' });
      },
    });
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) => {
        if (err) reject(err);
        else resolve(bound);
      });
    });
    const client = new (gatewayClient('coupler.identity.v1.EnrolmentService'))(`127.0.0.1:${port}`, credentials.createInsecure());
    try {
      const response = await new Promise<EnrollResponse__Output | undefined>((resolve, reject) => {
        client.Enroll({ bootstrapToken: 'token', csrPem: 'csr' }, new Metadata(), { deadline: Date.now() + 5000 }, (err, value) => {
          if (err) reject(err);
          else resolve(value);
        });
      });
      expect(response).toMatchObject({ certificatePem: 'cert for csr', caCertificatePem: 'token', gatewayId: 'gw-7' });
    } finally {
      client.close();
      server.forceShutdown();
    }
  });
});
