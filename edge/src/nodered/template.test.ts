import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { renderFlows } from './template-files.js';
import { instanceNodeId, type FlowInstance, type FlowNode } from './template.js';

const TEMPLATES = fileURLToPath(new URL('../../../flows/templates', import.meta.url));
const alarm = (name: string, parameters: FlowInstance['parameters']): FlowInstance => ({ name, template: 'threshold-alarm', parameters });
const byType = (nodes: FlowNode[], type: string) => nodes.filter((node) => node.type === type);

function writeTemplate(manifest: string, flow: string): string {
  const dir = join(tempDir(), 'custom');
  mkdirSync(dir);
  writeFileSync(join(dir, 'template.json'), manifest);
  writeFileSync(join(dir, 'flow.json'), flow);
  return dir;
}

describe('flow templates', () => {
  it('renders the threshold alarm with typed parameters, per-instance node ids and the broker login left to Node-RED', async () => {
    const nodes = await renderFlows([alarm('m1-voltage', { DEVICE_ID: 'meter-1', SIGNAL: 'voltageL1', THRESHOLD: 253 })], TEMPLATES);
    const [tab] = byType(nodes, 'tab');
    expect(tab?.label).toBe('Threshold alarm meter-1 voltageL1');
    expect(tab?.env).toEqual([
      { name: 'SIGNAL', value: 'voltageL1', type: 'str' },
      { name: 'THRESHOLD', value: 253, type: 'num' },
      { name: 'HYSTERESIS', value: 0, type: 'num' },
    ]);
    const [input] = byType(nodes, 'mqtt in');
    const [output] = byType(nodes, 'mqtt out');
    const [broker] = byType(nodes, 'mqtt-broker');
    expect(input?.topic).toBe('coupler/v1/devices/meter-1/telemetry');
    expect(output?.topic).toBe('coupler/v1/devices/meter-1/alarm');
    expect(broker?.credentials).toEqual({ user: '${COUPLER_BUS_USERNAME}', password: '${COUPLER_BUS_PASSWORD}' });
    // Every reference follows the renamed ids: the input is wired to the function, all on the tab.
    expect(tab?.id).toBe(instanceNodeId('m1-voltage', 'f1a0000000000001'));
    expect(input?.z).toBe(tab?.id);
    expect(input?.broker).toBe(broker?.id);
    expect(input?.wires).toEqual([[byType(nodes, 'function')[0]?.id]]);
  });

  it('gives two instances of one template distinct node ids', async () => {
    const nodes = await renderFlows([alarm('a', { DEVICE_ID: 'm1', SIGNAL: 's', THRESHOLD: 1 }), alarm('b', { DEVICE_ID: 'm2', SIGNAL: 's', THRESHOLD: 2 })], TEMPLATES);
    expect(nodes).toHaveLength(10);
    expect(new Set(nodes.map((node) => node.id)).size).toBe(10);
  });

  it('refuses unknown, missing and mistyped parameters, naming each', async () => {
    const rendering = renderFlows([alarm('x', { DEVICE_ID: 'bad id!', THRESHOLD: 'high', TRESHOLD: 3 })], TEMPLATES);
    await expect(rendering).rejects.toMatchObject({ code: 'CPL_ERR_FLOWS_TEMPLATE_INVALID' });
    const message = await rendering.catch((err: unknown) => (err as Error).message);
    expect(message).toContain('nodeRed.flows[0].parameters.TRESHOLD: unknown parameter of template threshold-alarm (it has DEVICE_ID, HYSTERESIS, SIGNAL, THRESHOLD)');
    expect(message).toContain('nodeRed.flows[0].parameters.THRESHOLD: must be a number (got "high")');
    expect(message).toContain('nodeRed.flows[0].parameters.DEVICE_ID: must match [A-Za-z0-9][A-Za-z0-9._-]{0,127} (parameter DEVICE_ID) (got "bad id!")');
    expect(message).toContain('nodeRed.flows[0].parameters.SIGNAL: is required by template threshold-alarm');
  });

  it('refuses a flow that uses a parameter its template does not declare, naming the node and property', async () => {
    const dir = writeTemplate(
      '{"name":"custom","description":"d","parameters":{"DEVICE_ID":{"type":"string","description":"id"}}}',
      '[{"id":"n1","type":"mqtt in","topic":"coupler/v1/devices/${DEVICE_ID}/${SIGNAL_NAME}"}]',
    );
    await expect(renderFlows([{ name: 'c', template: dir, parameters: { DEVICE_ID: 'm1' } }], TEMPLATES)).rejects.toThrow(
      `${join(dir, 'flow.json')} [0] (node n1, mqtt in).topic: unknown parameter SIGNAL_NAME (template custom declares DEVICE_ID; the edge provides COUPLER_BUS_HOST, COUPLER_BUS_PORT, COUPLER_BUS_USERNAME, COUPLER_BUS_PASSWORD, COUPLER_GATEWAY_ID)`,
    );
  });

  it('refuses a flow file that is not JSON, naming the file', async () => {
    const dir = writeTemplate('{"name":"custom","description":"d","parameters":{}}', '[{"id":"n1","type":"inject",}]');
    await expect(renderFlows([{ name: 'c', template: dir, parameters: {} }], TEMPLATES)).rejects.toThrow(`${join(dir, 'flow.json')}: is not valid JSON`);
  });

  it('refuses a flow file that is not a flows export, and duplicate node ids', async () => {
    const notArray = writeTemplate('{"name":"custom","description":"d","parameters":{}}', '{"id":"n1"}');
    await expect(renderFlows([{ name: 'c', template: notArray, parameters: {} }], TEMPLATES)).rejects.toThrow('must be a Node-RED flows export: a JSON array of nodes');
    const twice = writeTemplate('{"name":"custom","description":"d","parameters":{}}', '[{"id":"n1","type":"inject"},{"id":"n1","type":"debug"}]');
    await expect(renderFlows([{ name: 'c', template: twice, parameters: {} }], TEMPLATES)).rejects.toThrow(`${join(twice, 'flow.json')} [1].id: is used by an earlier node (got "n1")`);
  });

  it('refuses a template name that has no folder, naming the file it looked for', async () => {
    await expect(renderFlows([{ name: 'c', template: 'no-such-template', parameters: {} }], TEMPLATES)).rejects.toThrow(`${join(TEMPLATES, 'no-such-template', 'template.json')}: cannot be read`);
  });
});
