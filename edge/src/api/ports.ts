/** What the local API reads; the root passes the implementations in. */
export interface ApiSources {
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Each dependency's state; the gateway is ready when every `required` one is up. */
  dependencies(): { name: string; isUp: boolean; isRequired: boolean; detail?: string }[];
  buffer(): unknown;
  sync(): unknown;
  devices(): unknown;
  quarantine(): unknown;
}
