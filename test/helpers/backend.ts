import { executeServerCommand } from '@web/test-runner-commands';

export interface TestBackend {
  url: string;
  hostToken: string;
}

/** The reference server that web-test-runner.config.ts started for this run. */
export function testBackend(): Promise<TestBackend> {
  return executeServerCommand<TestBackend, undefined>('live-drop:backend');
}
