import { CONFIG_INVALID } from '@coupler/kit';

/** Every cloud error code, in one place; docs/errors.md documents each (errors.test.ts keeps them equal). */
export const CloudErrorCode = {
  configInvalid: CONFIG_INVALID,
  listen: 'CPL_ERR_LISTEN',
  storeOpen: 'CPL_ERR_STORE_OPEN',
  storeWrite: 'CPL_ERR_STORE_WRITE',
  storeRead: 'CPL_ERR_STORE_READ',
  syncProtocol: 'CPL_ERR_SYNC_PROTOCOL',
  syncInvalidBatch: 'CPL_ERR_SYNC_INVALID_BATCH',
  serviceStopping: 'CPL_ERR_SERVICE_STOPPING',
  notLeader: 'CPL_ERR_NOT_LEADER',
  unauthenticated: 'CPL_ERR_UNAUTHENTICATED',
  permissionDenied: 'CPL_ERR_PERMISSION_DENIED',
  requestInvalid: 'CPL_ERR_REQUEST_INVALID',
  notFound: 'CPL_ERR_NOT_FOUND',
  alreadyExists: 'CPL_ERR_ALREADY_EXISTS',
  enrolTokenInvalid: 'CPL_ERR_ENROL_TOKEN_INVALID',
  enrolCsrInvalid: 'CPL_ERR_ENROL_CSR_INVALID',
  credentialRevoked: 'CPL_ERR_CREDENTIAL_REVOKED',
  gatewayMismatch: 'CPL_ERR_GATEWAY_MISMATCH',
  identityFiles: 'CPL_ERR_IDENTITY_FILES',
  rateLimited: 'CPL_ERR_RATE_LIMITED',
  dashboardLoginRequired: 'CPL_ERR_DASHBOARD_LOGIN_REQUIRED',
  dashboardLoginInvalid: 'CPL_ERR_DASHBOARD_LOGIN_INVALID',
  dashboardForbidden: 'CPL_ERR_DASHBOARD_FORBIDDEN',
  dashboardQueryInvalid: 'CPL_ERR_DASHBOARD_QUERY_INVALID',
} as const;

export type CloudErrorCode = (typeof CloudErrorCode)[keyof typeof CloudErrorCode];

export const CLOUD_ERROR_CODES: readonly CloudErrorCode[] = Object.values(CloudErrorCode);

export function isCloudErrorCode(code: string): code is CloudErrorCode {
  return (CLOUD_ERROR_CODES as readonly string[]).includes(code);
}
