import protobuf from 'protobufjs/light.js';
import { COUPLER_DESCRIPTOR } from './generated/descriptor.js';

/**
 * How decoded messages look, for every reader: proto-loader (load.ts) and the descriptor-based
 * clients alike. 64-bit fields become numbers: sequence numbers and millisecond timestamps stay
 * far below 2^53 (docs/decisions/0003).
 */
export const MESSAGE_OUTPUT_OPTIONS = { longs: Number, enums: String, defaults: true, oneofs: true } as const;

let root: protobuf.Root | undefined;

/**
 * The coupler packages as protobufjs reflection, read from the descriptor generated with the
 * types: protobufjs' light build, no .proto parsing at run time (docs/decisions/0025).
 */
export function couplerRoot(): protobuf.Root {
  if (!root) {
    root = protobuf.Root.fromJSON(COUPLER_DESCRIPTOR);
    root.resolveAll();
  }
  return root;
}
