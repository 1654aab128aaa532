/** Where the run keeps its network, logs, screenshots and the state the tests read. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REPO_DIR = join(E2E_DIR, '..');
export const FRONTEND_DIR = join(REPO_DIR, 'frontend');
export const BACKEND_CLI = join(REPO_DIR, 'backend', 'dist', 'cli', 'main.js');
export const NODE_SCRIPT = join(REPO_DIR, 'backend', 'dist', 'main.js');

export const ARTIFACTS_DIR = join(E2E_DIR, 'artifacts');
export const SCREENSHOTS_DIR = join(ARTIFACTS_DIR, 'screenshots');
export const RUN_DIR = join(ARTIFACTS_DIR, 'run');
export const DEVNET_DIR = join(RUN_DIR, 'devnet');
export const STATE_FILE = join(RUN_DIR, 'state.json');
/** One process group id a line: everything the run started, for teardown's sweep. */
export const GROUPS_FILE = join(RUN_DIR, 'process-groups');
/** The fake camera's video: one frame showing a QR code (Y4M, read by Chromium at launch). */
export const CAMERA_FILE = join(RUN_DIR, 'camera.y4m');
/** What one journey leaves for a later one (the staff handover for the consumer's page). */
export const HANDOFF_FILE = join(RUN_DIR, 'handoff.json');

export const PASSPHRASE = 'waybill-demo';
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
