/** Every edge error code, in one place; docs/errors.md documents each (a test keeps them equal). */
export const EdgeErrorCode = {
  configInvalid: 'CPL_ERR_CONFIG_INVALID',
  bufferOpen: 'CPL_ERR_BUFFER_OPEN',
  bufferWrite: 'CPL_ERR_BUFFER_WRITE',
  busPayloadInvalid: 'CPL_ERR_BUS_PAYLOAD_INVALID',
  busNotAuthorized: 'CPL_ERR_BUS_NOT_AUTHORIZED',
  secretsUnavailable: 'CPL_ERR_SECRETS_UNAVAILABLE',
  apiRequestInvalid: 'CPL_ERR_API_REQUEST_INVALID',
  apiInternal: 'CPL_ERR_API_INTERNAL',
  apiUnauthenticated: 'CPL_ERR_API_UNAUTHENTICATED',
  apiForbidden: 'CPL_ERR_API_FORBIDDEN',
  apiRateLimited: 'CPL_ERR_API_RATE_LIMITED',
  syncProtocol: 'CPL_ERR_SYNC_PROTOCOL',
  syncAckTimeout: 'CPL_ERR_SYNC_ACK_TIMEOUT',
  noderedStart: 'CPL_ERR_NODERED_START',
  noderedAdmin: 'CPL_ERR_NODERED_ADMIN',
  flowsTemplateInvalid: 'CPL_ERR_FLOWS_TEMPLATE_INVALID',
  flowsDeployFailed: 'CPL_ERR_FLOWS_DEPLOY_FAILED',
  arduinoRefused: 'CPL_ERR_ARDUINO_REFUSED',
  arduinoNotConnected: 'CPL_ERR_ARDUINO_NOT_CONNECTED',
  arduinoFlashFailed: 'CPL_ERR_ARDUINO_FLASH_FAILED',
} as const;

export type EdgeErrorCode = (typeof EdgeErrorCode)[keyof typeof EdgeErrorCode];
