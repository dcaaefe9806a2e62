import protobuf from 'protobufjs/light.js';
import { COUPLER_DESCRIPTOR } from './generated/descriptor.js';

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
