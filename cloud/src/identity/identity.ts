import { CouplerError, errorMessage, hashSecret, type Logger } from '@coupler/kit';
import { certificateIdentity, normaliseSerial } from '@coupler/kit/pki';
import { CloudErrorCode } from '../errors.js';
import { gatewayIdProblem, type AuditEvent, type AuditOutcome, type Role } from '../records/index.js';
import { ApiKeyAuthenticator, type ConfiguredKey, type Principal } from './api-keys.js';
import { newSecret } from './bearer.js';
import { loadFleetTls, type FleetCaOptions, type FleetTls } from './ca.js';
import { enrol, type EnrolResult } from './enrolment.js';
import type { EndGatewayStreams, IdentityRecords } from './ports.js';
import { ADMIN_ACTIONS, hasRole, type AdminAction } from './roles.js';

export interface IdentityOptions extends FleetCaOptions {
  certificateValidDays: number;
  apiKeys: readonly ConfiguredKey[];
}

export interface IdentityDeps {
  records: IdentityRecords;
  endGatewayStreams: EndGatewayStreams;
  logger: Logger;
  now?: () => number;
}

export interface Identity {
  /** Loads or creates the fleet CA and server certificate; follows revocations of other processes. */
  start(): Promise<void>;
  stop(): Promise<void>;
  tls(): FleetTls;
  enroll(input: { bootstrapToken: string; csrPem: string }): Promise<EnrolResult>;
  /** The gateway a client certificate (DER) belongs to; throws when it is unknown or revoked. */
  gatewayOfCertificate(certDer: Buffer): Promise<string>;
  /** Authenticates and authorises an admin call, or throws; reads are not audited. */
  authorizeRead(action: AdminAction, authorization: string | undefined): Promise<Principal>;
  createBootstrapToken(
    authorization: string | undefined,
    request: { gatewayId: string; ttlSeconds: number },
  ): Promise<{ token: string; expiresAtMs: number }>;
  revokeGateway(
    authorization: string | undefined,
    request: { gatewayId: string; reason: string },
  ): Promise<{ revokedCertificates: number; endedStreams: number }>;
  createApiKey(
    authorization: string | undefined,
    request: { name: string; role: Role | undefined },
  ): Promise<{ key: string; keyId: string }>;
  revokeApiKey(authorization: string | undefined, request: { keyId: string }): Promise<{ revokedAtMs: number }>;
  listAuditEvents(
    authorization: string | undefined,
    request: { afterId: number; limit: number },
  ): Promise<AuditEvent[]>;
  /** True while the gateway holds a certificate that is not revoked. */
  isEnrolled(gatewayId: string): Promise<boolean>;
  /** Gateways holding a certificate that is not revoked. */
  enrolledGateways(): Promise<string[]>;
  /**
   * Runs a change another capability makes for an admin caller: checks the key and role,
   * and audits the attempt with what `run` returns as before and after.
   */
  change<T>(action: AdminAction, authorization: string | undefined, body: Change<T>): Promise<T>;
}

const KEY_NAME_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;
const DEFAULT_TOKEN_TTL_S = 24 * 3600;
const MAX_TOKEN_TTL_S = 30 * 24 * 3600;
const DEFAULT_AUDIT_PAGE = 100;
const MAX_AUDIT_PAGE = 1000;

function invalid(message: string): CouplerError {
  return new CouplerError(CloudErrorCode.requestInvalid, message);
}

function checkGatewayId(gatewayId: string): void {
  const problem = gatewayIdProblem(gatewayId);
  if (problem !== undefined) throw invalid(problem);
}

export interface Change<T> {
  target: string;
  run(principal: Principal): Promise<{ result: T; before?: unknown; after?: unknown }>;
}

/** Enrolment, gateway certificates, API keys with roles, and the audit log (SPEC §5). */
export function createIdentity(options: IdentityOptions, deps: IdentityDeps): Identity {
  const now = deps.now ?? Date.now;
  const { records, logger } = deps;
  const keys = new ApiKeyAuthenticator(options.apiKeys, records, now);
  let fleetTls: FleetTls | undefined;
  let unwatch: (() => void) | undefined;

  const audit = async (
    actor: string,
    action: string,
    target: string,
    outcome: AuditOutcome,
    extra: { before?: unknown; after?: unknown; detail?: string } = {},
  ): Promise<void> => {
    await records.appendAuditEvent({
      atMs: now(),
      actor,
      action,
      target,
      outcome,
      beforeJson: extra.before === undefined ? '' : JSON.stringify(extra.before),
      afterJson: extra.after === undefined ? '' : JSON.stringify(extra.after),
      detail: extra.detail ?? '',
    });
  };

  const authorize = async (action: AdminAction, authorization: string | undefined): Promise<Principal> => {
    const principal = await keys.authenticate(authorization);
    const needed = ADMIN_ACTIONS[action].role;
    if (!hasRole(principal.role, needed)) {
      throw new CouplerError(
        CloudErrorCode.permissionDenied,
        `${action} needs role ${needed} or above; this key has role ${principal.role}`,
      );
    }
    return principal;
  };

  /** Every attempt at a change is audited, whether it was refused, failed or done. */
  const change = async <T>(action: AdminAction, authorization: string | undefined, body: Change<T>): Promise<T> => {
    let principal: Principal;
    try {
      principal = await authorize(action, authorization);
    } catch (err) {
      // A valid key with too weak a role is named; anything else is anonymous.
      const actor = await keys.authenticate(authorization).then(
        (p) => p.actor,
        () => 'anonymous',
      );
      await audit(actor, action, body.target, 'denied', { detail: errorMessage(err) });
      logger.warn({ action, actor, target: body.target, reason: errorMessage(err) }, 'admin call refused');
      throw err;
    }
    try {
      const { result, before, after } = await body.run(principal);
      await audit(principal.actor, action, body.target, 'ok', { before, after });
      logger.info({ action, actor: principal.actor, target: body.target }, 'admin change made');
      return result;
    } catch (err) {
      const isExpected = err instanceof CouplerError;
      await audit(principal.actor, action, body.target, 'failed', {
        detail: isExpected ? errorMessage(err) : 'internal error',
      });
      throw err;
    }
  };

  const requireTls = (): FleetTls => {
    if (!fleetTls) throw new Error('identity is not started');
    return fleetTls;
  };

  return {
    async start() {
      fleetTls ??= await loadFleetTls(options);
      // Revocations made by other cloud processes of the fleet end streams held here too.
      unwatch ??= records.watchRevocations((gatewayId) => {
        const ended = deps.endGatewayStreams(gatewayId);
        if (ended > 0) logger.info({ gatewayId, endedStreams: ended }, 'streams of a gateway revoked elsewhere ended');
      });
    },

    stop() {
      unwatch?.();
      unwatch = undefined;
      return Promise.resolve();
    },

    tls: requireTls,

    async enroll(input) {
      try {
        const result = await enrol(input, {
          records,
          tls: requireTls(),
          validDays: options.certificateValidDays,
          nowMs: now(),
        });
        await audit(`gateway:${result.gatewayId}`, 'Enroll', `gateway:${result.gatewayId}`, 'ok', {
          after: { serialHex: result.serialHex, notAfterMs: result.notAfterMs },
        });
        logger.info({ gatewayId: result.gatewayId, serialHex: result.serialHex }, 'gateway enrolled');
        return result;
      } catch (err) {
        if (err instanceof CouplerError) await audit('anonymous', 'Enroll', 'gateway:?', 'denied', { detail: err.message });
        throw err;
      }
    },

    async gatewayOfCertificate(certDer) {
      let identity: ReturnType<typeof certificateIdentity>;
      try {
        identity = certificateIdentity(certDer);
      } catch {
        throw new CouplerError(CloudErrorCode.credentialRevoked, 'the client certificate cannot be read');
      }
      const credential = await records.getCredential(normaliseSerial(identity.serialHex));
      if (!credential || credential.gatewayId !== identity.commonName) {
        throw new CouplerError(CloudErrorCode.credentialRevoked, `certificate ${identity.serialHex} was not issued by this fleet`);
      }
      if (credential.revokedAtMs !== undefined) {
        throw new CouplerError(
          CloudErrorCode.credentialRevoked,
          `the certificate of gateway ${credential.gatewayId} was revoked at ${new Date(credential.revokedAtMs).toISOString()}`,
        );
      }
      return credential.gatewayId;
    },

    authorizeRead: authorize,

    createBootstrapToken(authorization, request) {
      return change('CreateBootstrapToken', authorization, {
        target: `gateway:${request.gatewayId}`,
        run: async (principal) => {
          checkGatewayId(request.gatewayId);
          if (request.ttlSeconds > MAX_TOKEN_TTL_S) {
            throw invalid(`ttlSeconds: must be at most ${MAX_TOKEN_TTL_S} (30 days) (got ${request.ttlSeconds})`);
          }
          const ttlSeconds = request.ttlSeconds === 0 ? DEFAULT_TOKEN_TTL_S : request.ttlSeconds;
          const secret = newSecret('cplt');
          const createdAtMs = now();
          const token = {
            tokenId: secret.id,
            secretHash: await hashSecret(secret.secret),
            gatewayId: request.gatewayId,
            createdAtMs,
            expiresAtMs: createdAtMs + ttlSeconds * 1000,
            createdBy: principal.actor,
          };
          await records.putBootstrapToken(token);
          return {
            result: { token: secret.text, expiresAtMs: token.expiresAtMs },
            after: { tokenId: token.tokenId, gatewayId: token.gatewayId, expiresAtMs: token.expiresAtMs },
          };
        },
      });
    },

    revokeGateway(authorization, request) {
      return change('RevokeGateway', authorization, {
        target: `gateway:${request.gatewayId}`,
        run: async () => {
          checkGatewayId(request.gatewayId);
          const before = await records.listCredentials(request.gatewayId);
          const revoked = await records.revokeCredentials(request.gatewayId, now());
          const endedStreams = deps.endGatewayStreams(request.gatewayId);
          const live = (list: typeof before) => list.filter((c) => c.revokedAtMs === undefined).map((c) => c.serialHex);
          return {
            result: { revokedCertificates: revoked.length, endedStreams },
            before: { liveCertificates: live(before) },
            after: { liveCertificates: [], reason: request.reason },
          };
        },
      });
    },

    createApiKey(authorization, request) {
      return change('CreateApiKey', authorization, {
        target: `key:${request.name}`,
        run: async (principal) => {
          if (!KEY_NAME_PATTERN.test(request.name)) {
            throw invalid(`name: must be 1 to 64 characters of A-Z a-z 0-9 . _ - @ (got ${JSON.stringify(request.name)})`);
          }
          if (request.role === undefined) throw invalid('role: must be ROLE_VIEWER, ROLE_OPERATOR or ROLE_ADMIN');
          const secret = newSecret('cplk');
          const key = {
            keyId: secret.id,
            name: request.name,
            role: request.role,
            secretHash: await hashSecret(secret.secret),
            createdAtMs: now(),
            createdBy: principal.actor,
          };
          await records.putApiKey(key);
          return {
            result: { key: secret.text, keyId: key.keyId },
            after: { keyId: key.keyId, name: key.name, role: key.role },
          };
        },
      });
    },

    revokeApiKey(authorization, request) {
      return change('RevokeApiKey', authorization, {
        target: `key-id:${request.keyId}`,
        run: async () => {
          const key = await records.getApiKey(request.keyId);
          if (!key) {
            throw invalid(`keyId: no key made by CreateApiKey has this id (got ${JSON.stringify(request.keyId)})`);
          }
          // The audit log never holds a secret's hash.
          const before = {
            keyId: key.keyId,
            name: key.name,
            role: key.role,
            ...(key.revokedAtMs === undefined ? {} : { revokedAtMs: key.revokedAtMs }),
          };
          const after = { ...before, revokedAtMs: key.revokedAtMs ?? now() };
          if (key.revokedAtMs === undefined) await records.putApiKey({ ...key, revokedAtMs: after.revokedAtMs });
          return { result: { revokedAtMs: after.revokedAtMs }, before, after };
        },
      });
    },

    async listAuditEvents(authorization, request) {
      await authorize('ListAuditEvents', authorization);
      if (request.limit > MAX_AUDIT_PAGE) throw invalid(`limit: must be at most ${MAX_AUDIT_PAGE} (got ${request.limit})`);
      return records.listAuditEvents({
        afterId: request.afterId,
        limit: request.limit === 0 ? DEFAULT_AUDIT_PAGE : request.limit,
      });
    },

    enrolledGateways: () => records.listEnrolledGateways(),

    change,

    async isEnrolled(gatewayId) {
      return (await records.listCredentials(gatewayId)).some((c) => c.revokedAtMs === undefined);
    },
  };
}
