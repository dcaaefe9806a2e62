import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { mqttClient } from '../helpers/gateway-parts.js';
import { EDITOR_PASSWORD, EDITOR_USER, startNodeRed } from '../helpers/node-red.js';
import { startSecuredBus } from '../helpers/secured-bus.js';

const CHROMIUM = '/usr/bin/chromium';
// The flags issue 8 asks for: no sandbox (root in CI), nothing that reaches out to the network.
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOTS = fileURLToPath(new URL('../../../reports/screenshots/', import.meta.url));
// Generous: the editor loads some megabytes of script, on a machine that may be busy.
const UI_TIMEOUT_MS = 30_000;

async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (scripts/setup.sh does: apt-get install chromium)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true, timeout: UI_TIMEOUT_MS });
  onTestFinished(() => browser.close());
  return browser;
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}nodered-${name}.png` });
}

async function logIn(page: Page, password: string): Promise<void> {
  await page.locator('#node-dialog-login-username').fill(EDITOR_USER);
  await page.locator('#node-dialog-login-password').fill(password);
  await page.locator('#node-dialog-login-submit').click();
}

describe('Node-RED editor in headless Chromium', () => {
  it('asks for a login, refuses a wrong password, shows the project\'s nodes, and deploys a flow whose message reaches the bus', async () => {
    const { bus, registry } = await startSecuredBus();
    const { baseUrl } = await startNodeRed(bus.port(), registry);
    const observer = await mqttClient(bus.port(), 'obs');
    await observer.subscribeAsync('coupler/v1/browser-check', { qos: 1 });
    const received = new Promise<string>((resolve) => observer.on('message', (_topic, payload) => { resolve(payload.toString()); }));

    const browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(baseUrl);
    await page.locator('#node-dialog-login-username').waitFor();
    await screenshot(page, '1-login');

    await logIn(page, 'not-the-password');
    await page.locator('#node-dialog-login-failed').waitFor();
    expect(await page.locator('#red-ui-palette').isVisible()).toBe(false);

    await logIn(page, EDITOR_PASSWORD);
    await page.locator('#red-ui-palette .red-ui-palette-node[data-palette-type="mqtt out"]').waitFor();
    await screenshot(page, '2-editor');
    // The palette has the MQTT nodes the templates use, and no way to install more.
    expect(await page.locator('.red-ui-palette-node[data-palette-type="mqtt in"]').count()).toBe(1);
    // The project's own nodes (flows/nodes) are there too.
    expect(await page.locator('.red-ui-palette-node[data-palette-type="coupler-telemetry-in"]').count()).toBe(1);
    expect(await page.locator('.red-ui-palette-node[data-palette-type="coupler-record-out"]').count()).toBe(1);
    expect(await page.locator('.red-ui-palette-node[data-palette-type="coupler-command-out"]').count()).toBe(1);

    // What Import → Clipboard does with a pasted flow; then the user presses Deploy.
    const flow = [
      { id: 'b1', type: 'mqtt-broker', name: 'bus', broker: '${COUPLER_BUS_HOST}', port: '${COUPLER_BUS_PORT}', clientid: '', autoConnect: true, usetls: false, protocolVersion: '4', keepalive: '30', cleansession: true, autoUnsubscribe: true, birthTopic: '', closeTopic: '', willTopic: '', credentials: { user: '${COUPLER_BUS_USERNAME}', password: '${COUPLER_BUS_PASSWORD}' } },
      { id: 'i1', type: 'inject', name: 'hello', props: [{ p: 'payload' }], repeat: '', crontab: '', once: true, onceDelay: 0.5, topic: '', payload: 'deployed from the editor', payloadType: 'str', x: 150, y: 100, wires: [['o1']] },
      { id: 'o1', type: 'mqtt out', name: 'browser check', topic: 'coupler/v1/browser-check', qos: '1', retain: 'false', respTopic: '', contentType: '', userProps: '', correl: '', expiry: '', broker: 'b1', x: 400, y: 100, wires: [] },
    ];
    await page.evaluate((nodes) => {
      (globalThis as unknown as { RED: { view: { importNodes(n: unknown): void } } }).RED.view.importNodes(nodes);
    }, flow);
    // Imported nodes follow the mouse until a click drops them on the workspace.
    await page.mouse.click(300, 300);
    await page.locator('#red-ui-header-button-deploy').click();
    // Node-RED runs at the lowest CPU priority: on a busy machine the inject can take a while.
    expect(await Promise.race([received, new Promise((resolve) => setTimeout(() => { resolve('nothing within 60 s'); }, 60_000))])).toBe('deployed from the editor');
    await screenshot(page, '3-deployed');
  }, 120_000);
});
