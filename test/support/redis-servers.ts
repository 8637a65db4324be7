import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually, Started, startProcess, stop } from './processes';

const run = promisify(execFile);

/** Redis servers of a test's own (primary + replica + Sentinel, or a 3-node Cluster) on free ports. */
export interface RedisServers {
  ports: number[];
  cli: (port: number, ...args: string[]) => Promise<string>;
  output: () => string;
  stop: () => Promise<void>;
}

/** A TCP port nothing listens on now (the kernel's pick), for a server a test or bench starts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startServers(configs: ((dir: string, port: number) => string[])[]): Promise<RedisServers> {
  const dir = mkdtempSync(join(tmpdir(), 'tianfu-redis-'));
  const ports: number[] = [];
  for (let i = 0; i < configs.length; i++) ports.push(await freePort());
  const started: Started[] = configs.map((args, i) => startProcess('redis-server', args(dir, ports[i])));
  const cli = async (port: number, ...args: string[]) => (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args])).stdout.trim();
  const output = () => started.map((s, i) => `--- redis ${ports[i]}\n${s.output()}`).join('\n');
  const servers = {
    ports, cli, output,
    stop: async () => {
      await Promise.all(started.map(stop));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(ports.map((port) => eventually(async () => ((await cli(port, 'PING')) === 'PONG' ? true : undefined), 100, 50, output)));
  } catch (error) {
    await servers.stop();
    throw error;
  }
  return servers;
}

// Each server's own folder: a replica writes the RDB it syncs to its working directory. A replica's
// full sync starts at once: by default a primary waits 5 s for more replicas to share one transfer,
// which cost the Sentinel tests 5 s at start and again after each REPLICAOF.
const server = (dir: string, port: number, ...more: string[]) => {
  const own = join(dir, String(port));
  mkdirSync(own);
  return ['--port', String(port), '--bind', '127.0.0.1', '--dir', own, '--save', '', '--appendonly', 'no', '--repl-diskless-sync-delay', '0', ...more];
};

/**
 * ports: [primary, replica, sentinel]; the Sentinel watches the group `name` with a quorum of one. It
 * starts once the replica is in sync, so its first look at the primary already lists the replica
 * (otherwise it learns of it only at its next INFO, 10 s later, and cannot fail over before).
 */
export async function startSentinelGroup(name: string): Promise<RedisServers> {
  let primary = 0;
  const pair = await startServers([
    (dir, port) => server(dir, (primary = port)),
    (dir, port) => server(dir, port, '--replicaof', '127.0.0.1', String(primary)),
  ]);
  let watcher: RedisServers | undefined;
  try {
    await eventually(async () => (/slave0:.*state=online/.test(await pair.cli(primary, 'INFO', 'replication')) ? true : undefined), 100, 100, pair.output);
    watcher = await startServers([(dir, port) => {
      const file = join(dir, 'sentinel.conf');
      writeFileSync(file, [
        `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${primary} 1`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 5000`,
      ].join('\n') + '\n');
      return [file, '--sentinel'];
    }]);
    const sentinelPort = watcher.ports[0];
    await eventually(async () => ((await pair.cli(sentinelPort, 'SENTINEL', 'REPLICAS', name)).includes(String(pair.ports[1])) ? true : undefined), 100, 100, pair.output);
  } catch (error) {
    await Promise.all([pair.stop(), watcher?.stop()]);
    throw error;
  }
  const sentinel = watcher;
  return {
    ports: [...pair.ports, ...sentinel.ports],
    cli: pair.cli,
    output: () => `${pair.output()}\n${sentinel.output()}`,
    stop: async () => { await Promise.all([pair.stop(), sentinel.stop()]); },
  };
}

/** Three primaries sharing the 16,384 hash slots (no replicas). */
export async function startCluster(): Promise<RedisServers> {
  const nodes = await startServers([0, 1, 2].map(() => (dir: string, port: number) =>
    server(dir, port, '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--cluster-node-timeout', '2000')));
  try {
    await run('redis-cli', ['--cluster', 'create', ...nodes.ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    await eventually(async () => ((await nodes.cli(nodes.ports[0], 'CLUSTER', 'INFO')).includes('cluster_state:ok') ? true : undefined), 100, 100, nodes.output);
    return nodes;
  } catch (error) {
    await nodes.stop();
    throw error;
  }
}
