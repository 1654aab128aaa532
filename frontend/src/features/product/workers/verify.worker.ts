/**
 * Checks a provenance bundle off the main thread: a hundred or more Ed25519 signatures with noble
 * take about a second on a phone, which would freeze the page. Reports how many signatures it has
 * checked, answers with the verification, then is terminated. Nothing here touches the network.
 */
import type { VerifyRequest, VerifyResponse } from './protocol';
import { verifyInPage } from '../utils/verification';

interface WorkerScope {
  onmessage: ((event: MessageEvent<VerifyRequest>) => void) | null;
  postMessage: (message: VerifyResponse) => void;
}

const scope = self as unknown as WorkerScope;

async function run({ bundle, options }: VerifyRequest): Promise<void> {
  try {
    const result = await verifyInPage(bundle, options, {
      onProgress: (checked) => {
        scope.postMessage({ type: 'progress', checked });
      },
    });
    scope.postMessage({ type: 'done', result });
  } catch (error) {
    scope.postMessage({
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
    });
  }
}

scope.onmessage = (event) => {
  void run(event.data);
};
