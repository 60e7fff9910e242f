/**
 * Web Test Runner commands that let a browser test break its own network:
 *
 *   executeServerCommand('fault-proxy:start', { target })  → { id, url }   a proxy in front of `target`
 *   executeServerCommand('fault-proxy:cut', { id })                        drop open connections
 *   executeServerCommand('fault-proxy:refuse', { id, ms })                 refuse for `ms` (until restore when absent)
 *   executeServerCommand('fault-proxy:fail-answers', { id, method, path, status })  the server acts, the client gets `status`
 *   executeServerCommand('fault-proxy:delay-answers', { id, path, ms })    answers to matching requests arrive `ms` late
 *   executeServerCommand('fault-proxy:restore', { id })                    undoes refuse, fail-answers and delay-answers
 *   executeServerCommand('fault-proxy:stop', { id })
 *
 * Proxies left running are closed when the run ends.
 */
import type { TestRunnerPlugin } from '@web/test-runner';
import { startFaultProxy, type AnswerFault, type FaultProxy } from './fault-proxy.js';

interface Payload extends Partial<AnswerFault> {
  id?: string;
  target?: string;
  ms?: number;
}

export function faultProxyPlugin(): TestRunnerPlugin {
  const proxies = new Map<string, FaultProxy>();
  let next = 0;
  const get = (payload: Payload) => {
    const proxy = proxies.get(payload.id ?? '');
    if (!proxy) throw new Error(`no fault proxy with id ${payload.id}`);
    return proxy;
  };
  return {
    name: 'live-drop-fault-proxy',
    async serverStop() {
      await Promise.all([...proxies.values()].map((p) => p.close()));
      proxies.clear();
    },
    async executeCommand({ command, payload }) {
      const p = (payload ?? {}) as Payload;
      switch (command) {
        case 'fault-proxy:start': {
          if (!p.target) throw new Error('fault-proxy:start needs { target }');
          const id = String(++next);
          const proxy = await startFaultProxy(p.target);
          proxies.set(id, proxy);
          return { id, url: proxy.url };
        }
        case 'fault-proxy:cut':
          get(p).cut();
          return true;
        case 'fault-proxy:refuse':
          get(p).refuse(p.ms);
          return true;
        case 'fault-proxy:fail-answers':
          if (!p.method || !p.path || !p.status) throw new Error('fault-proxy:fail-answers needs { method, path, status }');
          get(p).failAnswers({ method: p.method, path: p.path, status: p.status });
          return true;
        case 'fault-proxy:delay-answers':
          if (!p.path || !p.ms) throw new Error('fault-proxy:delay-answers needs { path, ms }');
          get(p).delayAnswers({ path: p.path, ms: p.ms });
          return true;
        case 'fault-proxy:restore':
          get(p).restore();
          return true;
        case 'fault-proxy:stop':
          await get(p).close();
          proxies.delete(p.id!);
          return true;
        default:
          return undefined;
      }
    },
  };
}
