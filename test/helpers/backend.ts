import { executeServerCommand } from '@web/test-runner-commands';

export interface TestBackend {
  url: string;
  hostToken: string;
}

/**
 * The reference server that web-test-runner.config.ts started for this run,
 * reached from this test file's own client address; `tight`: a second server
 * that allows 3 reservation requests per 4 s from one address.
 */
export function testBackend(limits: 'default' | 'tight' = 'default'): Promise<TestBackend> {
  return executeServerCommand<TestBackend, { limits: string }>('live-drop:backend', { limits });
}
