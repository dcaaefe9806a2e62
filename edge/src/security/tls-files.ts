import { readFileSync } from 'node:fs';

export interface TlsFilePaths {
  certFile: string;
  keyFile: string;
  clientCaFile?: string | undefined;
}

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  clientCa?: Buffer | undefined;
}

/** Reads the PEM files a TLS listener needs (the configuration check already found them readable). */
export function readTlsFiles(paths: TlsFilePaths): TlsMaterial {
  return {
    cert: readFileSync(paths.certFile),
    key: readFileSync(paths.keyFile),
    clientCa: paths.clientCaFile === undefined ? undefined : readFileSync(paths.clientCaFile),
  };
}
