import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeEntryBundle } from './tiles.js';
import { hashChildren, hashLeaf } from './hash.js';
import { SIG_TYPE_ED25519, ed25519FromSeed, encodeSignerKey, encodeVerifierKey, parseSignerKey } from './note.js';
import { signCheckpoint } from './checkpoint.js';
import { verifyInclusion } from './proof.js';

/** docs/ledger.md's worked example, recomputed: if this fails, the document is wrong. */
describe('the worked example of docs/ledger.md', () => {
  const entries = [1, 2, 3].map((n) => Buffer.from(`{"type":"operator-note","n":${n}}`));
  const leaves = entries.map(hashLeaf);
  const node01 = hashChildren(leaves[0]!, leaves[1]!);
  const root = hashChildren(node01, leaves[2]!);

  it('has the documented leaf, node and root hashes', () => {
    expect(leaves.map((l) => l.toString('hex'))).toEqual([
      '27e312d20a885049fd66992c16b635bb0432fae5eac98517a649091e014ef4c3',
      '58cd1245bc1e881197062820e7a60db39a6e9b336d7914168a8411498773cf63',
      '6a4497d675b763c6777d3d34f8d8b4bc42ab2ac2f617ce88d35bdf3a20e58521',
    ]);
    expect(node01.toString('hex')).toBe('e2402a1bef51d8c5d065b34981cd88af18214d79d58d9cb16251cbf354db9636');
    expect(root.toString('base64')).toBe('KUU9zskugNVvwyyAxpcD13e+vLoG3fy5uWuTFne8IP0=');
  });

  it('has the documented signed checkpoint and verifier key', () => {
    const seed = createHash('sha256').update('glasshub worked example').digest();
    const name = 'example.glasshub/log';
    expect(encodeVerifierKey(name, SIG_TYPE_ED25519, ed25519FromSeed(seed).publicKey)).toBe(
      'example.glasshub/log+277b807f+AeHTlJ2Pym0TOJGhzFSgXR7HA7hSjut0gLSEpq2L/0bp',
    );
    const note = signCheckpoint({ origin: name, size: 3, rootHash: root }, parseSignerKey(encodeSignerKey(name, SIG_TYPE_ED25519, seed)));
    expect(Buffer.from(note).toString()).toBe(
      'example.glasshub/log\n3\nKUU9zskugNVvwyyAxpcD13e+vLoG3fy5uWuTFne8IP0=\n\n' +
        '— example.glasshub/log J3uAf+r5AJWm2JXp/UMJjW0VNVv87q8xPje+bHM72lkIB4mtJDcGjgSeRhJxBCzcxS8OpFkK2bRGFJZigqmPJDiivQQ=\n',
    );
  });

  it('has the documented entry bundle and proofs', () => {
    expect(Buffer.from(encodeEntryBundle(entries)).toString('hex').startsWith('001e7b2274797065223a226f70657261746f722d6e6f7465222c226e223a317d001e7b22')).toBe(true);
    verifyInclusion(2n, 3n, leaves[2]!, [node01], root);
    verifyInclusion(0n, 3n, leaves[0]!, [leaves[1]!, leaves[2]!], root);
  });
});
