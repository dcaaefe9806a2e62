import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliAgainst, startCloudProcess, type CloudProcess } from './processes.js';

const OPERATOR_KEY = 'cli-templates-operator-0123456789abcdef';
const VIEWER_KEY = 'cli-templates-viewer-0123456789abcdef';

describe('coupler templates create|list|show|apply against a running cloud', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-cli-templates-'));
  let cloud: CloudProcess | undefined;
  let firmware = '';
  const { cli, ok } = cliAgainst(() => cloud, join(dir, 'home'), OPERATOR_KEY);

  beforeAll(async () => {
    cloud = await startCloudProcess(join(dir, 'cloud'), [
      { name: 'ops', role: 'operator', key: OPERATOR_KEY },
      { name: 'watcher', role: 'viewer', key: VIEWER_KEY },
    ]);
    writeFileSync(join(dir, 'doors.hex'), ':00000001FF\n# doors 1.0.0\n');
    writeFileSync(join(dir, 'profile.yaml'), 'source: datasheet v2\nregisters:\n  - { name: voltage, address: 0, register: input, data_type: float32 }\n');
    writeFileSync(join(dir, 'README.md'), '# Door meter\n\nWire A/B to RS-485.\n');
    firmware = (JSON.parse((await ok(['artifacts', 'upload', join(dir, 'doors.hex'), '--kind', 'arduino-firmware', '--version', '1.0.0', '--json'])).stdout) as { sha256: string }).sha256;
  }, 60_000);

  afterAll(() => {
    cloud?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a version once, lists it, shows it with its documentation, and applies it to a gateway', async () => {
    const create = ['templates', 'create', 'door-meter', '1.0.0', '--profile', join(dir, 'profile.yaml'), '--docs', join(dir, 'README.md'), '--firmware', firmware, '--json'];
    expect(JSON.parse((await ok(create)).stdout)).toMatchObject({ name: 'door-meter', version: '1.0.0', firmwareSha256: firmware, createdBy: 'key:ops' });
    const again = await cli(create);
    expect([again.code, again.stderr.trim()]).toEqual([1, expect.stringContaining('ALREADY_EXISTS: template door-meter@1.0.0 already exists') as unknown]);

    expect(JSON.parse((await ok(['templates', 'list', '--json'], VIEWER_KEY)).stdout)).toEqual([expect.objectContaining({ name: 'door-meter', version: '1.0.0' })]);
    const shown = await ok(['templates', 'show', 'door-meter'], VIEWER_KEY);
    expect(shown.stdout).toContain('door-meter@1.0.0');
    expect(shown.stdout).toContain('Wire A/B to RS-485.');

    const denied = await cli(['templates', 'apply', 'door-meter', 'gateway:car-7', '--arduino', 'doors'], VIEWER_KEY);
    expect([denied.code, denied.stderr]).toEqual([1, expect.stringContaining('PERMISSION_DENIED') as unknown]);
    const applied = await ok(['templates', 'apply', 'door-meter', 'gateway:car-7', '--arduino', 'doors', '--modbus', 'meter-1=10.0.0.9:502@2', '--modbus', 'meter-2=rtu:rs485-0@7']);
    expect(applied.stdout).toMatch(/^applied door-meter@1\.0\.0 to gateway:car-7: revision 1, configuration [0-9a-f]{64}, templates door-meter@1\.0\.0/);
    const layer = JSON.parse((await ok(['desired', 'layer', 'gateway:car-7', '--json'], VIEWER_KEY)).stdout) as { firmwareSha256: Record<string, string>; configSha256: string; templates: string[] };
    expect(layer).toMatchObject({ firmwareSha256: { doors: firmware }, templates: ['door-meter@1.0.0'] });
    expect(layer.configSha256).toMatch(/^[0-9a-f]{64}$/);
    // Set by hand, the layer keeps the configuration it is given and no longer names a template.
    const byHand = JSON.parse((await ok(['desired', 'set', 'gateway:car-7', '--gateway-config', layer.configSha256, '--json'])).stdout) as typeof layer;
    expect(byHand).toMatchObject({ firmwareSha256: {}, configSha256: layer.configSha256, templates: [] });
  });

  it('names a bad --modbus device and exits 2 before calling the cloud', async () => {
    const run = await cli(['templates', 'apply', 'door-meter', 'fleet', '--modbus', 'meter-1']);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('--modbus must be id=host[:port][@unit] or id=rtu:<bus>[@unit] (got "meter-1")') as unknown });
  });
});
