// Copies the files a build needs next to the compiled code that tsc does not copy: the
// built-in Modbus device profiles (YAML), and the cloud dashboard's script and stylesheet.
import { cpSync } from 'node:fs';

const ASSETS = [
  ['edge/src/devices/modbus/profiles', 'edge/dist/src/devices/modbus/profiles'],
  ['cloud/src/dashboard/public', 'cloud/dist/src/dashboard/public'],
];

const root = new URL('..', import.meta.url);
for (const [from, to] of ASSETS) {
  cpSync(new URL(from, root), new URL(to, root), { recursive: true });
}
