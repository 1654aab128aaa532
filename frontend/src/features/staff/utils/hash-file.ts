/**
 * The SHA-256 of a document, computed in the browser: the file itself is never uploaded, only its
 * hash is signed, so anyone holding the document later can prove it is the one recorded.
 */
import { bytesToHex, sha256 } from '@waybill/shared/encoding';

export async function hashFile(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (subtle) {
    // Native and off the main thread's JS heap for large files; absent outside secure contexts.
    return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', bytes)));
  }
  return bytesToHex(sha256(bytes));
}
