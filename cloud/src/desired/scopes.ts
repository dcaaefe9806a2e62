import { CouplerError } from '@coupler/kit';
import { CloudErrorCode } from '../errors.js';
import { GATEWAY_ID_PATTERN, type GatewayLabels } from '../records/index.js';

/** Firmware key of an entry for every Arduino without one of its own. */
export const EVERY_DEVICE = '*';
const LABEL_SCOPES = ['line', 'train'] as const;
const VALUE_PATTERN = /^[A-Za-z0-9._ -]{1,128}$/;
const DEVICE_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The layers of one gateway, in the order they compose (later wins per item): the fleet's
 * defaults, its line, its train, then the gateway's own overrides.
 */
export function scopesOf(gatewayId: string, labels: GatewayLabels | undefined): string[] {
  return [
    'fleet',
    ...LABEL_SCOPES.flatMap((kind) => (labels?.[kind] ? [`${kind}:${labels[kind]}`] : [])),
    `gateway:${gatewayId}`,
  ];
}

/** Throws INVALID_ARGUMENT naming the problem when `scope` is not one a layer may have. */
export function checkScope(scope: string): void {
  if (scope === 'fleet') return;
  const [kind, value = ''] = scope.split(/:(.*)/s, 2);
  const valid =
    (kind === 'gateway' && GATEWAY_ID_PATTERN.test(value)) ||
    (LABEL_SCOPES.includes(kind as (typeof LABEL_SCOPES)[number]) && VALUE_PATTERN.test(value));
  if (!valid) {
    throw new CouplerError(
      CloudErrorCode.requestInvalid,
      `layer.scope must be "fleet", "line:<line>", "train:<train>" or "gateway:<gateway id>" (got ${JSON.stringify(scope)})`,
    );
  }
}

export function checkDeviceKey(key: string): void {
  if (key !== EVERY_DEVICE && !DEVICE_ID_PATTERN.test(key)) {
    throw new CouplerError(
      CloudErrorCode.requestInvalid,
      `layer.firmwareSha256: keys must be a device id (1 to 64 of A-Z a-z 0-9 . _ -) or "*" (got ${JSON.stringify(key)})`,
    );
  }
}
