import type { DesiredArtifactRef, DesiredLayer, TemplateRecord } from '../records/index.js';

/** Where templates are kept (the identity store: LMDB or PostgreSQL). */
export interface TemplateStore {
  createTemplate(template: TemplateRecord): Promise<boolean>;
  getTemplate(name: string, version: string): Promise<TemplateRecord | undefined>;
  listTemplates(name?: string): Promise<TemplateRecord[]>;
}

/** The items of a desired-state layer this capability changes. */
export interface LayerChange {
  firmware: Record<string, DesiredArtifactRef>;
  flows?: DesiredArtifactRef;
  config?: DesiredArtifactRef;
  templates?: string[];
}

/** What templates need from the rest of the cloud; the root passes it in. */
export interface TemplateDeps {
  store: TemplateStore;
  /** The kind and version of a stored artifact, or undefined when there is none. */
  artifact: (sha256: string) => Promise<{ kind: string; version: string } | undefined>;
  /** The content of a stored artifact (the layer's current configuration, to merge into). */
  readArtifact: (sha256: string) => Promise<Buffer>;
  /** Stores and signs a gateway-config artifact; returns its SHA-256. */
  storeConfig: (content: Buffer, version: string) => Promise<string>;
  /**
   * Changes one desired-state layer from what it holds now, one change of it at a time; checks
   * the scope and every artifact of the result.
   */
  changeLayer: (scope: string, change: (before: DesiredLayer | undefined) => Promise<LayerChange>) => Promise<{ before: DesiredLayer | undefined; after: DesiredLayer }>;
  now: () => number;
}
