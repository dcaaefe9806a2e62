// The gateway process's V8 flags that must hold however node was started (image entrypoint,
// `coupler-edge`, the demo, benchmarks). main.ts imports this module before any other, so the
// flags are set before the gateway's code first runs.
import { setFlagsFromString } from 'node:v8';

// Decision 0027: no allocation-site pretenuring. A burst of devices' messages waiting for one
// commit group is enough for V8 to allocate every later message's objects in the old generation,
// where they keep their young parts alive through scavenges until a full collection: 1.5 to 1.7
// times the CPU a message, for the rest of the process's life.
setFlagsFromString('--no-allocation-site-pretenuring');
