/**
 * The node's libp2p identity, kept in a file so the peer id survives restarts (bootstrap lists and
 * `WAYBILL_ALLOWED_PEERS` name it).
 *
 * File format: one line, the base64 (RFC 4648, with padding) of the protobuf-marshalled libp2p
 * private key (`privateKeyToProtobuf`, the format of `ipfs`/`libp2p` key exports), Ed25519 only.
 * Created with mode 0600; a trailing newline or surrounding whitespace is ignored.
 */
import { chmod, readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { P2pError } from './errors.js';

export interface PeerKey {
  privateKey: PrivateKey;
  /** The base58btc peer id (`12D3KooW…`). */
  peerId: string;
}

/** Loads the node's libp2p identity from `file`, creating it (Ed25519, mode 0600) when missing. */
export async function loadOrCreatePeerKey(file: string): Promise<PeerKey> {
  const existing = await readPeerKey(file);
  if (existing !== undefined) return existing;
  const privateKey = await generateKeyPair('Ed25519');
  const text = `${Buffer.from(privateKeyToProtobuf(privateKey)).toString('base64')}\n`;
  await mkdir(dirname(file), { recursive: true });
  try {
    // 'wx': never overwrite a key another process created in the meantime.
    await writeFile(file, text, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreatePeerKey(file);
    throw error;
  }
  await chmod(file, 0o600);
  return { privateKey, peerId: peerIdFromPrivateKey(privateKey).toString() };
}

/** The peer id a key file stands for, without starting anything. */
export async function peerIdOfKeyFile(file: string): Promise<string> {
  const key = await readPeerKey(file);
  if (key === undefined) throw new P2pError('BAD_PEER_KEY', `p2p key file ${file} does not exist`);
  return key.peerId;
}

async function readPeerKey(file: string): Promise<PeerKey | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) {
    throw new P2pError(
      'BAD_PEER_KEY',
      `p2p key file ${file} is not base64 (delete it to make a new identity)`,
    );
  }
  let privateKey: PrivateKey;
  try {
    privateKey = privateKeyFromProtobuf(new Uint8Array(Buffer.from(trimmed, 'base64')));
  } catch (error) {
    throw new P2pError(
      'BAD_PEER_KEY',
      `p2p key file ${file} does not hold a libp2p private key: ${(error as Error).message}`,
    );
  }
  if (privateKey.type !== 'Ed25519') {
    throw new P2pError(
      'BAD_PEER_KEY',
      `p2p key file ${file} holds a ${privateKey.type} key; expected Ed25519`,
    );
  }
  return { privateKey, peerId: peerIdFromPrivateKey(privateKey).toString() };
}
