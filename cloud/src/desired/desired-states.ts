import { CouplerError, type Logger } from '@coupler/kit';
import { CloudErrorCode } from '../errors.js';
import type { DesiredArtifactRef, DesiredLayer, DesiredReport } from '../records/index.js';
import { composeLayers } from './compose.js';
import type { ComposedState, DesiredStateDeps } from './ports.js';
import { checkDeviceKey, checkScope, EVERY_DEVICE, scopesOf } from './scopes.js';

/** A layer as an operator sets it: artifacts by SHA-256. */
export interface LayerInput {
  scope: string;
  firmwareSha256: Record<string, string>;
  flowsSha256: string;
  configSha256: string;
}

/** What a layer holds besides its scope and revision: the items and where they came from. */
export type LayerItems = Pick<DesiredLayer, 'firmware' | 'flows' | 'config' | 'templates'>;

/** A gateway's report as it arrives on the sync stream (sync.proto DesiredStateReport). */
export type ReportInput = Pick<DesiredReport, 'revision' | 'items'>;

const ARTIFACT_KIND = { firmware: 'arduino-firmware', flows: 'flows-bundle', config: 'gateway-config' } as const;

/**
 * The desired state of the fleet (SPEC §5): layers kept in the store, composed per gateway,
 * pushed at once to connected gateways whose composed state changed, and sent again after
 * every hello, so an offline gateway reconciles when it reconnects. Reports from gateways are
 * kept (the last per gateway) and handed to listeners such as the rollout controller.
 */
export class DesiredStates {
  /** The revision last pushed to each connected gateway. */
  private readonly sent = new Map<string, number>();
  /** Per scope, the revision this process last pushed for (one entry per layer). */
  private readonly refreshed = new Map<string, number>();
  private readonly reportListeners = new Set<(report: DesiredReport) => void>();
  private writes: Promise<unknown> = Promise.resolve();
  private unwatch: (() => void)[] = [];

  constructor(
    private readonly deps: DesiredStateDeps,
    private readonly logger: Logger,
  ) {}

  /** Follows changes other cloud processes make (PostgreSQL); LMDB has no others. */
  start(): void {
    if (this.unwatch.length > 0) return;
    this.unwatch = [
      this.deps.layers.watchDesiredLayers((scope) => {
        void this.refreshAfterNotice(scope);
      }),
      // A report that reached another process (PostgreSQL): the leader's controller hears it too.
      this.deps.layers.watchDesiredReports((gatewayId) => {
        this.deps.layers.getDesiredReport(gatewayId).then(
          (report) => {
            if (report) this.emit(report);
          },
          (err: unknown) => {
            this.logger.warn({ err, gatewayId }, 'gateway report not read after its notification');
          },
        );
      }),
    ];
  }

  stop(): void {
    for (const unwatch of this.unwatch.splice(0)) unwatch();
  }

  /** Validates and stores a layer (replacing it as a whole), then pushes what changed. */
  async setLayer(input: LayerInput): Promise<{ before: DesiredLayer | undefined; after: DesiredLayer }> {
    checkScope(input.scope);
    const firmware: Record<string, DesiredArtifactRef> = {};
    for (const [device, sha256] of Object.entries(input.firmwareSha256)) {
      checkDeviceKey(device);
      await this.checkArtifact(sha256, 'firmware', `layer.firmwareSha256[${JSON.stringify(device)}]`);
      firmware[device] = { sha256 };
    }
    if (input.flowsSha256) await this.checkArtifact(input.flowsSha256, 'flows', 'layer.flowsSha256');
    if (input.configSha256) await this.checkArtifact(input.configSha256, 'config', 'layer.configSha256');
    return this.write(input.scope, () => ({
      firmware,
      ...(input.flowsSha256 ? { flows: { sha256: input.flowsSha256 } } : {}),
      ...(input.configSha256 ? { config: { sha256: input.configSha256 } } : {}),
    }));
  }

  /**
   * Changes one layer from what it holds now (applying a template): `change` runs in this
   * process's queue of layer writes, so two changes of one layer never lose each other's items.
   * Every artifact of the result is checked like setLayer's.
   */
  changeLayer(scope: string, change: (before: DesiredLayer | undefined) => Promise<LayerItems>): Promise<{ before: DesiredLayer | undefined; after: DesiredLayer }> {
    checkScope(scope);
    return this.write(scope, async (before) => {
      const items = await change(before);
      for (const [device, ref] of Object.entries(items.firmware)) {
        checkDeviceKey(device);
        await this.checkArtifact(ref.sha256, 'firmware', `firmware[${JSON.stringify(device)}]`);
      }
      if (items.flows) await this.checkArtifact(items.flows.sha256, 'flows', 'flows');
      if (items.config) await this.checkArtifact(items.config.sha256, 'config', 'config');
      return items;
    });
  }

  getLayer(scope: string): Promise<DesiredLayer | undefined> {
    checkScope(scope);
    return this.deps.layers.getDesiredLayer(scope);
  }

  /**
   * A rollout's step: makes `sha256` the gateway's own firmware for every Arduino (kind
   * arduino-firmware) or its flows (flows-bundle), keeping the rest of its layer.
   */
  async setGatewayTarget(gatewayId: string, target: { kind: string; sha256: string }, rolloutId: string): Promise<unknown> {
    const kind = target.kind === ARTIFACT_KIND.flows ? 'flows' : 'firmware';
    await this.checkArtifact(target.sha256, kind, 'target');
    const ref = { sha256: target.sha256, rolloutId };
    return this.write(`gateway:${gatewayId}`, (before) => {
      const kept = itemsOf(before);
      return kind === 'flows' ? { ...kept, flows: ref } : { ...kept, firmware: { ...kept.firmware, [EVERY_DEVICE]: ref } };
    });
  }

  /** `layerOf` lets a caller composing for many gateways read each layer once. */
  async composeFor(gatewayId: string, layerOf = (scope: string) => this.deps.layers.getDesiredLayer(scope)): Promise<ComposedState> {
    const scopes = scopesOf(gatewayId, await this.deps.labels(gatewayId));
    const layers = await Promise.all(scopes.map(layerOf));
    const named = new Set(layers.flatMap((layer) => (layer ? [...Object.values(layer.firmware), layer.flows, layer.config] : [])).flatMap((ref) => (ref ? [ref.sha256] : [])));
    const found = new Map(await Promise.all([...named].map(async (sha256) => [sha256, await this.deps.artifact(sha256)] as const)));
    return composeLayers(layers, (sha256) => found.get(sha256));
  }

  /** A gateway said hello: it gets its state, changed or not (it may have restarted). */
  async helloFrom(gatewayId: string): Promise<void> {
    const state = await this.composeFor(gatewayId);
    this.sent.set(gatewayId, state.revision);
    this.deps.push(gatewayId, state);
  }

  streamClosed(gatewayId: string): void {
    if (!this.deps.connectedGateways().includes(gatewayId)) this.sent.delete(gatewayId);
  }

  /** Keeps the gateway's report (durable, shared by the fleet's processes), then hands it to the listeners. */
  async reported(gatewayId: string, report: ReportInput): Promise<void> {
    const stored: DesiredReport = { gatewayId, revision: report.revision, items: report.items, receivedAtMs: this.deps.now() };
    await this.deps.layers.putDesiredReport(stored);
    this.emit(stored);
  }

  lastReport(gatewayId: string): Promise<DesiredReport | undefined> {
    return this.deps.layers.getDesiredReport(gatewayId);
  }

  /** Listeners may hear one report twice (from this process and through the store's notification). */
  onReport(listener: (report: DesiredReport) => void): () => void {
    this.reportListeners.add(listener);
    return () => this.reportListeners.delete(listener);
  }

  private emit(report: DesiredReport): void {
    for (const listener of this.reportListeners) listener(report);
  }

  /**
   * Another process changed a layer (PostgreSQL NOTIFY, which reaches the writer too): this
   * process's own change was pushed when it was written, so only a newer revision is refreshed.
   */
  private async refreshAfterNotice(scope: string): Promise<void> {
    try {
      const layer = await this.deps.layers.getDesiredLayer(scope);
      if (layer && this.refreshed.get(scope) === layer.revision) return;
      if (layer) this.refreshed.set(scope, layer.revision);
      await this.refresh(scope);
    } catch (err) {
      this.logger.warn({ err, scope }, 'desired state of another process not pushed; gateways get it at their next hello');
    }
  }

  /** Recomposes for the connected gateways the changed scope concerns, and pushes changed states. */
  async refresh(scope: string): Promise<void> {
    const connected = this.deps.connectedGateways();
    const concerned = scope.startsWith('gateway:') ? connected.filter((id) => `gateway:${id}` === scope) : connected;
    // Every gateway shares the fleet, line and train layers: each is read once per refresh.
    const read = new Map<string, Promise<DesiredLayer | undefined>>();
    const layerOf = (s: string) => {
      let layer = read.get(s);
      if (!layer) read.set(s, (layer = this.deps.layers.getDesiredLayer(s)));
      return layer;
    };
    for (const gatewayId of concerned) {
      try {
        const state = await this.composeFor(gatewayId, layerOf);
        if (this.sent.get(gatewayId) === state.revision) continue;
        this.sent.set(gatewayId, state.revision);
        this.deps.push(gatewayId, state);
      } catch (err) {
        this.logger.warn({ err, gatewayId, scope }, 'desired state not pushed; the gateway gets it at its next hello');
      }
    }
  }

  /** Read-modify-write of one layer, one at a time within this process. */
  private write(scope: string, change: (before: DesiredLayer | undefined) => LayerItems | Promise<LayerItems>): Promise<{ before: DesiredLayer | undefined; after: DesiredLayer }> {
    const run = this.writes.then(async () => {
      const before = await this.deps.layers.getDesiredLayer(scope);
      const after = await this.deps.layers.putDesiredLayer({ scope, ...(await change(before)), updatedAtMs: this.deps.now() });
      this.logger.info({ scope, revision: after.revision }, 'desired state changed');
      this.refreshed.set(scope, after.revision);
      await this.refresh(scope);
      return { before, after };
    });
    this.writes = run.catch(() => undefined);
    return run;
  }

  private async checkArtifact(sha256: string, kind: keyof typeof ARTIFACT_KIND, field: string): Promise<void> {
    const found = await this.deps.artifact(sha256);
    if (!found) throw new CouplerError(CloudErrorCode.requestInvalid, `${field}: there is no artifact ${sha256}`);
    if (found.kind !== ARTIFACT_KIND[kind]) {
      throw new CouplerError(CloudErrorCode.requestInvalid, `${field}: artifact ${sha256} is ${found.kind} ${found.version}, not ${ARTIFACT_KIND[kind]}`);
    }
  }
}

/** The items of a layer (none when there is no layer), to change some and keep the rest. */
export function itemsOf(layer: DesiredLayer | undefined): LayerItems {
  return {
    firmware: { ...layer?.firmware },
    ...(layer?.flows ? { flows: layer.flows } : {}),
    ...(layer?.config ? { config: layer.config } : {}),
    ...(layer?.templates ? { templates: layer.templates } : {}),
  };
}
