import { makeClientConstructor, type ChannelCredentials, type ClientOptions, type MethodDefinition, type ServiceDefinition } from '@grpc/grpc-js';
import type protobuf from 'protobufjs/light.js';
import type { ArtifactServiceClient } from './generated/coupler/ota/v1/ArtifactService.js';
import type { EnrolmentServiceClient } from './generated/coupler/identity/v1/EnrolmentService.js';
import type { SyncServiceClient } from './generated/coupler/sync/v1/SyncService.js';
import { MESSAGE_OUTPUT_OPTIONS } from './message-options.js';
import { couplerRoot } from './reflection.js';

/** The services a gateway calls, by full name, with the client types generated for them. */
export interface GatewayServiceClients {
  'coupler.sync.v1.SyncService': SyncServiceClient;
  'coupler.identity.v1.EnrolmentService': EnrolmentServiceClient;
  'coupler.ota.v1.ArtifactService': ArtifactServiceClient;
}
export type GatewayServiceName = keyof GatewayServiceClients;

export interface GatewayClientConstructor<Name extends GatewayServiceName> {
  new (address: string, credentials: ChannelCredentials, options?: ClientOptions): GatewayServiceClients[Name];
  readonly service: ServiceDefinition;
}

// The same (de)serialisation as proto-loader's, so a client made here sends and receives exactly
// what one made from loadCouplerProto() does: fromObject() accepts enum names and numbers alike.
function serializer(type: protobuf.Type): (value: object) => Buffer {
  return (value) => Buffer.from(type.encode(type.fromObject(value)).finish());
}

function deserializer(type: protobuf.Type): (bytes: Buffer) => object {
  return (bytes) => type.toObject(type.decode(bytes), MESSAGE_OUTPUT_OPTIONS);
}

function serviceDefinition(name: GatewayServiceName): ServiceDefinition {
  const service = couplerRoot().lookupService(name);
  const definition: Record<string, MethodDefinition<object, object>> = {};
  for (const method of service.methodsArray) {
    const requestType = method.resolvedRequestType;
    const responseType = method.resolvedResponseType;
    if (!requestType || !responseType) throw new Error(`${name}.${method.name}: message types not resolved`);
    definition[method.name] = {
      path: `/${name}/${method.name}`,
      requestStream: method.requestStream === true,
      responseStream: method.responseStream === true,
      requestSerialize: serializer(requestType),
      requestDeserialize: deserializer(requestType),
      responseSerialize: serializer(responseType),
      responseDeserialize: deserializer(responseType),
      originalName: method.name.charAt(0).toLowerCase() + method.name.slice(1),
    };
  }
  return definition;
}

const definitions = new Map<GatewayServiceName, ServiceDefinition>();

function definitionOf(name: GatewayServiceName): ServiceDefinition {
  let definition = definitions.get(name);
  if (!definition) {
    definition = serviceDefinition(name);
    definitions.set(name, definition);
  }
  return definition;
}

/**
 * A method of a service a gateway calls, for a caller that makes its own calls (the sync
 * stream frames batches itself): path and (de)serialisers as grpc-js takes them.
 */
export function gatewayMethod<Request, Response>(service: GatewayServiceName, method: string): MethodDefinition<Request, Response> {
  const definition = definitionOf(service)[method];
  if (!definition) throw new Error(`${service} has no method ${method}`);
  return definition as MethodDefinition<Request, Response>;
}

/** The client class of a service a gateway calls, as grpc-js makes it from loadCouplerProto(). */
export function gatewayClient<Name extends GatewayServiceName>(name: Name): GatewayClientConstructor<Name> {
  return makeClientConstructor(definitionOf(name), name) as unknown as GatewayClientConstructor<Name>;
}
