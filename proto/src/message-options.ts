/**
 * How decoded messages look, for every reader: proto-loader (load.ts) and the descriptor-based
 * clients alike. 64-bit fields become numbers: sequence numbers and millisecond timestamps stay
 * far below 2^53 (docs/decisions/0003).
 */
export const MESSAGE_OUTPUT_OPTIONS = { longs: Number, enums: String, defaults: true, oneofs: true } as const;
