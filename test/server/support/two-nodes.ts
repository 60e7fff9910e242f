/**
 * Two reference servers sharing one fresh PostgreSQL database, for the tests
 * of what several nodes must agree on. Call it in a `describe`: it adds the
 * `before` that starts them and the `after` that closes every event stream
 * opened through `events`, stops the nodes and drops the database.
 */
import { after, before } from 'node:test';
import { startReferenceServer, type RunningServer, type ServerOptions } from '../../support/reference-server.js';
import { apiFor, type Api } from './api-client.js';
import { openEvents, type EventClient } from './event-client.js';
import { freshDatabase, postgresUrl } from './postgres.js';

export interface TwoPostgresNodes {
  database: Awaited<ReturnType<typeof freshDatabase>>;
  /** The running nodes; a test that restarts one puts its successor here, so it is stopped afterwards. */
  nodes: RunningServer[];
  /** The API of node A and of node B. */
  a: Api;
  b: Api;
  /** Opens the drop's event stream on `node` (a node or its API), resuming after `lastEventId` if given. */
  events(node: { url: string }, dropId: string, lastEventId?: string): Promise<EventClient>;
}

/** `label` names the database; `options` are each node's (its database excepted). Fields are set once `before` ran. */
export function twoPostgresNodes(label: string, options: Omit<ServerOptions, 'databaseUrl'> = {}): TwoPostgresNodes {
  const clients: EventClient[] = [];
  const cluster = {
    nodes: [],
    async events(node, dropId, lastEventId) {
      const client = await openEvents(`${node.url}/v1/drops/${dropId}/events`, { lastEventId });
      clients.push(client);
      return client;
    },
  } as Partial<TwoPostgresNodes> as TwoPostgresNodes;
  before(async () => {
    if (!postgresUrl) return;
    cluster.database = await freshDatabase(label);
    // Started one after the other: the second finds the schema migrated and the demo seeded.
    for (let i = 0; i < 2; i++) cluster.nodes.push(await startReferenceServer({ ...options, databaseUrl: cluster.database.url }));
    [cluster.a, cluster.b] = cluster.nodes.map(apiFor);
  });
  after(async () => {
    clients.forEach((c) => c.close());
    for (const node of cluster.nodes) await node.stop();
    await cluster.database?.drop();
  });
  return cluster;
}
