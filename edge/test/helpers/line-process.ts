import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { onTestFinished } from 'vitest';

/** A program the tests need; a missing one fails the test with the package that brings it. */
export function requireProgram(path: string, debianPackage: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: apt-get install ${debianPackage} (scripts/setup.sh does it)`);
  return path;
}

/**
 * A child process whose standard output is read line by line, killed (SIGKILL) when the test
 * finishes if it is still running.
 */
export class LineProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private stderr = '';
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly listeners = new Set<() => void>();
  private readonly lineListeners: ((line: string) => void)[] = [];

  constructor(command: string, args: string[]) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    onTestFinished(async () => {
      if (this.child.exitCode === null && this.child.signalCode === null) {
        this.child.kill('SIGKILL');
        await this.exited;
      }
    });
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) => {
        resolve({ code, signal });
        this.notify();
      });
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.lines.push(line);
      for (const listener of this.lineListeners) listener(line);
      this.notify();
    });
  }

  get isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Everything the process wrote to standard output and standard error so far. */
  output(): string {
    return `${this.lines.join('\n')}\n${this.stderr}`;
  }

  writeLine(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Calls `listener` with every line, those printed so far first. */
  forEachLine(listener: (line: string) => void): void {
    for (const line of this.lines) listener(line);
    this.lineListeners.push(listener);
  }

  /** Resolves with the first `count` lines that match, once there are that many. */
  waitForLines(what: string, match: (line: string) => boolean, count = 1, timeoutMs = 10_000): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.lines.filter(match);
        if (found.length >= count) {
          done();
          resolve(found.slice(0, count));
        } else if (!this.isRunning) {
          done();
          reject(new Error(`the process ended before ${what}; it printed:\n${this.output()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the process printed:\n${this.output()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
