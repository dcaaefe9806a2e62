import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from '@coupler/kit';
import type { FleetApi } from '../ports.js';
import { unary } from './unary.js';

/** coupler.fleet.v1.FleetService: role viewer or above. */
export function fleetHandlers(fleet: FleetApi, logger: Logger): UntypedServiceImplementation {
  return {
    ListGateways: unary('ListGateways', logger, async (_request: unknown, auth) => ({
      gateways: await fleet.listGateways(auth),
    })),
  };
}
