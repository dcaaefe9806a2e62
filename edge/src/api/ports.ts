/** What the local API reads; the root passes the implementations in. */
export interface ApiSources {
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Each dependency's state; the gateway is ready when every `required` one is up. */
  dependencies(): { name: string; isUp: boolean; isRequired: boolean; detail?: string }[];
  buffer(): unknown;
  sync(): unknown;
  devices(): unknown;
  quarantine(): unknown;
  /** The Node-RED child and its last flows deployment; `{ enabled: false }` when it is off. */
  nodeRed(): unknown;
  /** Forgets quarantined messages (of one device, or all); returns how many. */
  clearQuarantine(deviceId?: string): number;
}

export type ApiRole = 'admin' | 'readOnly';

export interface ApiKey {
  /** Who holds the key; logged, never the key. */
  name: string;
  /** `scrypt$N$r$p$salt$hash` (@coupler/kit secret-hash.ts). */
  hash: string;
  role: ApiRole;
}

/** The API keys; the root fills it at start (from configuration, or development mode). */
export interface ApiKeySource {
  keys(): readonly ApiKey[];
}
