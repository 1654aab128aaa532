/**
 * Test controls for fault-injection runs (`pnpm test:chaos`, the storage-fault tests), mounted only
 * when the node starts with WAYBILL_TEST_CONTROLS=1: never in a real deployment, where they would
 * let anyone who reaches the HTTP port cut the node off or fill its disk.
 */
export const TEST_CONTROLS_ENV = 'WAYBILL_TEST_CONTROLS';

export function testControlsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[TEST_CONTROLS_ENV] === '1';
}
