import { Type } from '@sinclair/typebox';

/** How the sync stream authenticates (docs/decisions/0081); spread into the sync section. */
export const syncSecurityProperties = {
  tls: Type.Unsafe<'mtls' | 'insecure'>({
    type: 'string',
    enum: ['mtls', 'insecure'],
    default: 'mtls',
    description:
      '"mtls": the sync stream uses the client certificate the cloud issued to this gateway ' +
      '(enrolling with sync.enrolment the first time) and trusts only the fleet CA. "insecure": ' +
      'plaintext with no gateway identity, FOR DEVELOPMENT AND TESTS ONLY; the cloud must run ' +
      'with grpc.tls: insecure too.',
    requiresRestart: true,
  }),
  enrolment: Type.Object(
    {
      url: Type.String({
        default: '',
        description: 'host:port of the cloud API port (api.port, server TLS) that serves Enroll.',
        requiresRestart: true,
      }),
      bootstrapToken: Type.String({
        default: '',
        description:
          'One-time token from CreateBootstrapToken (cplt.<id>.<secret>); used only while ' +
          '<dataDir>/identity/ holds no certificate. A secret: set it as a balena fleet or device variable.',
        requiresRestart: true,
      }),
      caFile: Type.String({
        default: '',
        description:
          'PEM file of the fleet CA (the cloud\'s <dataDir>/identity/ca.crt): the pin, the only CA trusted for the cloud.',
        requiresRestart: true,
      }),
      caPem: Type.String({
        default: '',
        description:
          'The fleet CA as PEM text instead of caFile, for a balena fleet variable; used when caFile is empty.',
        requiresRestart: true,
      }),
    },
    {
      additionalProperties: false,
      default: {},
      description:
        'First contact with the cloud: the gateway makes a key (kept 0600 in <dataDir>/identity/), ' +
        'sends a CSR with the token, and keeps the certificate it gets.',
    },
  ),
};
