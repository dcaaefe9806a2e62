/** A Node-RED editor user: the password as a bcrypt hash, as Node-RED's adminAuth expects. */
export interface EditorUser {
  username: string;
  passwordHash: string;
  permissions: '*' | 'read';
}

export interface NodeRedSettingsInput {
  host: string;
  port: number;
  userDir: string;
  credentialSecret: string;
  editorUsers: readonly EditorUser[];
  /** Basic auth for HTTP-in endpoints; without it they are switched off. */
  httpNodeAuth: { username: string; passwordHash: string } | undefined;
  /** The bearer token the edge itself deploys flows with; Node-RED only compares it. */
  deployToken: string;
  functionTimeoutSeconds: number;
  /** Folder of Node-RED node packages to load (flows/nodes), if any. */
  nodesDir: string | undefined;
}

export const DEPLOY_USER = 'coupler-edge';

/**
 * settings.js of the child. It holds no secret: it reads the settings JSON from its standard
 * input, which the edge writes once and closes, so neither a file, the environment (env.get,
 * /proc/<pid>/environ) nor a later reader sees the credential secret or the deploy token. The
 * `tokens` function lets the edge deploy without a password (Node-RED adminAuth "custom user
 * tokens"). The child ends itself once its parent is gone; one stuck in a busy flow is stopped
 * by the next edge (stale-child.ts).
 */
export const SETTINGS_JS = `'use strict';
// Written by coupler-edge at every start; edit the edge configuration, not this file.
const { timingSafeEqual, createHash } = require('node:crypto');
const settings = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const deployToken = settings.coupler.deployToken;
delete settings.coupler;
const digest = (text) => createHash('sha256').update(String(text)).digest();
settings.adminAuth.tokens = function (token) {
  const isDeployer = typeof token === 'string' && timingSafeEqual(digest(token), digest(deployToken));
  return Promise.resolve(isDeployer ? { username: '${DEPLOY_USER}', permissions: '*' } : null);
};
// Node-RED ends with the edge that started it: an edge killed with SIGKILL cannot stop it.
const edgePid = process.ppid;
setInterval(() => {
  if (process.ppid !== edgePid) process.kill(process.pid, 'SIGKILL');
}, 1000).unref();
module.exports = settings;
`;

/** The settings object (as JSON) that settings.js hands to Node-RED; see docs/decisions/0070. */
export function nodeRedSettings(input: NodeRedSettingsInput): Record<string, unknown> {
  const isEditorOn = input.editorUsers.length > 0;
  return {
    uiHost: input.host,
    uiPort: input.port,
    userDir: input.userDir,
    flowFile: 'flows.json',
    flowFilePretty: true,
    ...(input.nodesDir === undefined ? {} : { nodesDir: [input.nodesDir] }),
    credentialSecret: input.credentialSecret,
    adminAuth: {
      type: 'credentials',
      users: input.editorUsers.map((user) => ({ username: user.username, password: user.passwordHash, permissions: user.permissions })),
    },
    // Without an editor user the admin API still answers the edge's token, and nobody else.
    disableEditor: !isEditorOn,
    httpNodeRoot: input.httpNodeAuth ? '/' : false,
    ...(input.httpNodeAuth ? { httpNodeAuth: { user: input.httpNodeAuth.username, pass: input.httpNodeAuth.passwordHash } } : {}),
    externalModules: { autoInstall: false, palette: { allowInstall: false, allowUpdate: false, allowUpload: false }, modules: { allowInstall: false } },
    functionExternalModules: false,
    globalFunctionTimeout: input.functionTimeoutSeconds,
    telemetry: { enabled: false, updateNotification: false },
    diagnostics: { enabled: true, ui: false },
    editorTheme: { projects: { enabled: false }, tours: false },
    mqttReconnectTime: 2000,
    logging: { console: { level: 'info', metrics: false, audit: false } },
    coupler: { deployToken: input.deployToken },
  };
}
