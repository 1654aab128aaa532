/**
 * The seam through which the product page checks a bundle. In the browser: a module worker, so the
 * page keeps scrolling while noble checks signatures, terminated when it answers or the page moves
 * on. Where workers are missing or fail to start, the same check runs in the page. Tests pass
 * `verifyInPage` itself.
 */
import type { BundleVerifier } from '../utils/verification';
import { verifyInPage } from '../utils/verification';
import type { VerifyRequest, VerifyResponse } from './protocol';

export const verifyInWorker: BundleVerifier = (bundle, options, progress = {}) => {
  if (typeof Worker === 'undefined') return verifyInPage(bundle, options, progress);
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./verify.worker.ts', import.meta.url), { type: 'module' });
    } catch {
      resolve(verifyInPage(bundle, options, progress));
      return;
    }
    let started = false;
    const stop = () => {
      worker.terminate();
      progress.signal?.removeEventListener('abort', abort);
    };
    const abort = () => {
      stop();
      reject(new DOMException('verification cancelled', 'AbortError'));
    };
    progress.signal?.addEventListener('abort', abort);
    worker.onmessage = (event: MessageEvent<VerifyResponse>) => {
      started = true;
      const message = event.data;
      switch (message.type) {
        case 'progress':
          progress.onProgress?.(message.checked);
          return;
        case 'done':
          stop();
          resolve(message.result);
          return;
        case 'error':
          stop();
          reject(new Error(message.message));
      }
    };
    worker.onerror = () => {
      stop();
      // A worker that cannot start (a strict CSP, an old browser): check in the page instead.
      if (!started) resolve(verifyInPage(bundle, options, progress));
      else reject(new Error('the verification worker stopped unexpectedly'));
    };
    const request: VerifyRequest = { bundle, options };
    worker.postMessage(request);
  });
};
