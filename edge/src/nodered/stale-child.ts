import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const PID_FILE = 'node-red.pid';
const GONE_WAIT_MS = 5_000;

/**
 * When a live process started, in clock ticks since boot (/proc/<pid>/stat field 22); with the
 * pid it names one process, never a later one given the same pid. Undefined once it is gone.
 * Node-RED renames itself (process.title), so its command line cannot tell it apart.
 */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the name, which may hold spaces and parentheses: state is field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

/** Notes the running child in its user folder, for the next edge to find if this one is killed. */
export function recordChildPid(userDir: string, pid: number): void {
  const startTime = startTimeOf(pid);
  if (startTime !== undefined) writeFileSync(join(userDir, PID_FILE), `${pid} ${startTime}\n`, { mode: 0o600 });
}

export function forgetChildPid(userDir: string): void {
  rmSync(join(userDir, PID_FILE), { force: true });
}

/**
 * Kills the Node-RED that an earlier edge started in this user folder and left running: an edge
 * killed with SIGKILL cannot stop its child, and a child stuck in a busy flow does not notice
 * that its parent is gone. Returns its pid, if there was one.
 */
export async function killStaleChild(userDir: string): Promise<number | undefined> {
  let recorded: string[];
  try {
    recorded = readFileSync(join(userDir, PID_FILE), 'utf8').trim().split(' ');
  } catch {
    return undefined;
  }
  forgetChildPid(userDir);
  const pid = Number.parseInt(recorded[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 1 || startTimeOf(pid) !== recorded[1]) return undefined;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return undefined;
  }
  // Its port is free once it is gone.
  const deadline = Date.now() + GONE_WAIT_MS;
  while (startTimeOf(pid) !== undefined && Date.now() < deadline) await sleep(50);
  return pid;
}
