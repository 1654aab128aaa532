/**
 * The seam through which the staff desk opens a keystore. In the browser: a module worker (so
 * the page keeps responding while scrypt runs) that is terminated as soon as it answers or the
 * attempt is abandoned. Tests pass `decryptKeystoreAsync` itself through `StaffProvider`.
 */
import { decryptKeystoreAsync, type DecryptedKeystore } from '@waybill/shared/keys';
import type { DecryptRequest, DecryptResponse } from './protocol';

export interface DecryptOptions {
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export type KeystoreDecryptor = (
  keystore: unknown,
  passphrase: string,
  options?: DecryptOptions,
) => Promise<DecryptedKeystore>;

/** A failure to open a keystore, with the code shared gave it (or the worker's own). */
export class KeystoreOpenError extends Error {
  override readonly name = 'KeystoreOpenError';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const decryptInWorker: KeystoreDecryptor = (keystore, passphrase, options = {}) => {
  if (typeof Worker === 'undefined') {
    // No workers (an unusual embedded browser): the async variant still yields to the page.
    return decryptKeystoreAsync(keystore, passphrase, { onProgress: options.onProgress });
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./keystore.worker.ts', import.meta.url), {
      type: 'module',
    });
    const stop = () => {
      worker.terminate();
      options.signal?.removeEventListener('abort', abort);
    };
    const abort = () => {
      stop();
      reject(new KeystoreOpenError('ABORTED', 'opening the keystore was cancelled'));
    };
    options.signal?.addEventListener('abort', abort);
    worker.onmessage = (event: MessageEvent<DecryptResponse>) => {
      const message = event.data;
      switch (message.type) {
        case 'progress':
          options.onProgress?.(message.fraction);
          return;
        case 'done':
          stop();
          resolve(message.key);
          return;
        case 'error':
          stop();
          reject(new KeystoreOpenError(message.code, message.message));
      }
    };
    worker.onerror = (event) => {
      stop();
      reject(
        new KeystoreOpenError(
          'WORKER_FAILED',
          `the key could not be opened in a background worker: ${event.message || 'it failed to start'}`,
        ),
      );
    };
    const request: DecryptRequest = { keystore, passphrase };
    worker.postMessage(request);
  });
};
