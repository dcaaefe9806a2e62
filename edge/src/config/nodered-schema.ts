import { Type, type Static } from '@sinclair/typebox';

/** bcrypt as Node-RED's adminAuth expects it (`node-red admin hash-pw`, bcryptjs). */
export const BCRYPT_HASH_PATTERN = '^\\$2[aby]\\$[0-9]{2}\\$[./A-Za-z0-9]{53}$';
const BCRYPT_DESCRIPTION = 'bcrypt hash of the password (make one with `npx node-red admin hash-pw`); never the password itself.';
const PARAMETER_NAME_PATTERN = '^[A-Z][A-Z0-9_]*$';

export const EditorUser = Type.Object(
  {
    username: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$', description: 'Login name in the Node-RED editor.' }),
    passwordHash: Type.String({ pattern: BCRYPT_HASH_PATTERN, description: BCRYPT_DESCRIPTION }),
    permissions: Type.Union([Type.Literal('*'), Type.Literal('read')], { default: '*', description: '*: edit and deploy flows. read: look only.' }),
  },
  { additionalProperties: false },
);

export const FlowInstance = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: 'Name of this use of the template; unique on the gateway (it makes the node ids unique).' }),
    template: Type.String({ minLength: 1, description: 'Template folder name under nodeRed.templatesDir (e.g. threshold-alarm), or a path to a template folder.' }),
    parameters: Type.Record(Type.String({ pattern: PARAMETER_NAME_PATTERN }), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
      default: {},
      description: 'Values of the template\'s parameters (its template.json lists them); an unknown or missing one refuses the deployment.',
    }),
  },
  { additionalProperties: false },
);

export const NodeRedSection = Type.Object(
  {
    enabled: Type.Boolean({ default: false, description: 'Run Node-RED as a supervised child process of the edge.', requiresRestart: true }),
    host: Type.String({ default: '127.0.0.1', description: 'Address the Node-RED editor and admin API bind to.', requiresRestart: true }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 1880, description: 'Port of the Node-RED editor and admin API; 0 picks a free one.', requiresRestart: true }),
    credentialSecret: Type.Optional(
      Type.String({ minLength: 16, description: 'Key that encrypts the credentials stored with the flows. Required in production mode; never change it once set, or the stored credentials are lost.', requiresRestart: true }),
    ),
    editorUsers: Type.Array(EditorUser, { default: [], description: 'Who may log in to the editor and the admin API. Empty: the editor is off and only the edge itself deploys flows.', requiresRestart: true }),
    httpNodeAuth: Type.Optional(
      Type.Object(
        {
          username: Type.String({ minLength: 1, description: 'User name of HTTP basic auth for the flows\' HTTP-in endpoints.' }),
          passwordHash: Type.String({ pattern: BCRYPT_HASH_PATTERN, description: BCRYPT_DESCRIPTION }),
        },
        { additionalProperties: false, description: 'Basic auth for the flows\' HTTP-in endpoints; without it those endpoints are off.', requiresRestart: true },
      ),
    ),
    templatesDir: Type.String({ minLength: 1, default: './flows/templates', description: 'Folder of the flow templates (flows/templates in the repository).' }),
    nodesDir: Type.String({ minLength: 1, default: './flows/nodes', description: 'Folder of Node-RED node packages loaded into Node-RED (flows/nodes in the repository: the project\'s own nodes).', requiresRestart: true }),
    flows: Type.Array(FlowInstance, { default: [], description: 'Templates to render and deploy to Node-RED at start, with their parameters.' }),
    memoryLimitMb: Type.Integer({ minimum: 64, maximum: 8192, default: 256, description: 'Heap limit of the Node-RED process (--max-old-space-size); a leaking flow crashes it, and it is restarted.', requiresRestart: true }),
    niceness: Type.Integer({ minimum: 0, maximum: 19, default: 19, description: 'How much lower than the edge the Node-RED process runs in CPU priority (19: it gets the CPU the edge leaves; docs/decisions/0070).', requiresRestart: true }),
    functionTimeoutSeconds: Type.Integer({ minimum: 0, maximum: 3600, default: 5, description: 'Longest synchronous run of any Function node (Node-RED globalFunctionTimeout); 0 means none.', requiresRestart: true }),
    healthIntervalMs: Type.Integer({ minimum: 100, maximum: 60_000, default: 2000, description: 'How often the Node-RED liveness probe runs.' }),
    maxMissedHealthChecks: Type.Integer({ minimum: 1, maximum: 100, default: 5, description: 'Liveness probes missed in a row (a blocked event loop) before Node-RED is killed and restarted.' }),
    startTimeoutMs: Type.Integer({ minimum: 1000, maximum: 600_000, default: 60_000, description: 'How long Node-RED may take, after it is started, to answer with its flows and credentials read.' }),
    rollbackAfterCrashes: Type.Integer({ minimum: 1, maximum: 100, default: 3, description: 'Node-RED crashes (exits or stops answering) within nodeRed.rollbackWindowMs of a flows deployment after which Node-RED is restarted in safe mode and the flows from before that deployment are deployed again.' }),
    rollbackWindowMs: Type.Integer({ minimum: 1000, maximum: 86_400_000, default: 600_000, description: 'The window of nodeRed.rollbackAfterCrashes.' }),
    initialBackoffMs: Type.Integer({ minimum: 10, maximum: 600_000, default: 1000, description: 'First delay before restarting Node-RED after it stopped.' }),
    maxBackoffMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 60_000, description: 'Longest delay before restarting Node-RED.' }),
  },
  { additionalProperties: false, default: {} },
);

export type NodeRedConfig = Static<typeof NodeRedSection>;
export type EditorUserConfig = Static<typeof EditorUser>;
export type FlowInstanceConfig = Static<typeof FlowInstance>;
