// src/ledger uses Node's Buffer; in the browser the `buffer` package stands in. Imported first by verify.ts
// so that the global exists before any ledger module evaluates (hash.ts builds Buffers at load time).
import { Buffer } from 'buffer/index.js'; // the npm package (in Node, 'buffer' is the built-in)

// Where buffer@6 differs from Node's Buffer in what src/ledger uses, it is brought in line here (tested in
// buffer-global.test.ts). buffer@6 lacks Node's 'base64url' encoding, which note.ts uses to build Ed25519 JWKs: add it, both ways.
type ToString = (this: Buffer, encoding?: string, start?: number, end?: number) => string;
const proto = Buffer.prototype as unknown as { toString: ToString };
const toString: ToString = proto.toString; // called with its `this` below
proto.toString = function (this: Buffer, encoding?: string, start?: number, end?: number): string {
  if (encoding !== 'base64url') return toString.call(this, encoding, start, end);
  return toString.call(this, 'base64', start, end).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
const from = Buffer.from.bind(Buffer) as (value: unknown, encodingOrOffset?: unknown, length?: number) => Buffer;
(Buffer as unknown as { from: typeof from }).from = (value, encodingOrOffset, length) =>
  typeof value === 'string' && encodingOrOffset === 'base64url' ? from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64') : from(value, encodingOrOffset, length);

// buffer@6's equals() takes only Buffers; Node's takes any Uint8Array, and proof-verify.ts compares with one.
Buffer.prototype.equals = function (this: Buffer, other: Uint8Array): boolean {
  if (!(other instanceof Uint8Array)) throw new TypeError('The "otherBuffer" argument must be a Buffer or Uint8Array');
  return Buffer.compare(this, other) === 0;
};

const g = globalThis as { Buffer?: unknown };
g.Buffer ??= Buffer;
