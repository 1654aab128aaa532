/**
 * Opens a keystore off the main thread: scrypt takes about a second at the default cost, which
 * would freeze the page. Receives the parsed file and the passphrase, reports scrypt's progress
 * (at most once per percent), answers with the key pair or the error's code, then is terminated.
 * Nothing here touches the network.
 */
import { isWaybillError } from '@waybill/shared/errors';
import { decryptKeystoreAsync } from '@waybill/shared/keys';
import type { DecryptRequest, DecryptResponse } from './protocol';

interface WorkerScope {
  onmessage: ((event: MessageEvent<DecryptRequest>) => void) | null;
  postMessage: (message: DecryptResponse) => void;
}

const scope = self as unknown as WorkerScope;

async function open({ keystore, passphrase }: DecryptRequest): Promise<void> {
  let percent = -1;
  try {
    const key = await decryptKeystoreAsync(keystore, passphrase, {
      onProgress: (fraction) => {
        const now = Math.floor(fraction * 100);
        if (now === percent) return;
        percent = now;
        scope.postMessage({ type: 'progress', fraction });
      },
    });
    scope.postMessage({ type: 'done', key });
  } catch (error) {
    scope.postMessage({
      type: 'error',
      code: isWaybillError(error) ? error.code : 'KEYSTORE_FAILED',
      message: error instanceof Error ? error.message : String(error),
    });
  }
}

scope.onmessage = (event) => {
  void open(event.data);
};
