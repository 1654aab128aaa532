import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { P2pError } from '../src/p2p/errors.js';
import { loadOrCreatePeerKey, peerIdOfKeyFile } from '../src/p2p/peer-key.js';

describe('p2p peer key file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'waybill-p2pkey-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates an Ed25519 key with mode 0600 and loads the same identity again', async () => {
    const file = join(dir, 'sub', 'p2p.key');
    const created = await loadOrCreatePeerKey(file);
    expect(created.privateKey.type).toBe('Ed25519');
    expect(created.peerId).toMatch(/^12D3KooW/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const loaded = await loadOrCreatePeerKey(file);
    expect(loaded.peerId).toBe(created.peerId);
    expect(await peerIdOfKeyFile(file)).toBe(created.peerId);
  });

  it('reports a missing or garbled file with BAD_PEER_KEY', async () => {
    const file = join(dir, 'p2p.key');
    await expect(peerIdOfKeyFile(file)).rejects.toMatchObject({ code: 'BAD_PEER_KEY' });
    await writeFile(file, 'not a key!\n');
    await expect(loadOrCreatePeerKey(file)).rejects.toBeInstanceOf(P2pError);
    await writeFile(file, 'AAAA\n');
    await expect(peerIdOfKeyFile(file)).rejects.toMatchObject({ code: 'BAD_PEER_KEY' });
  });
});
