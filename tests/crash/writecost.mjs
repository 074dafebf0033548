// writecost.mjs: the cost of a write through the API: sequential and concurrent creations of
// cooperatives for a few seconds, printed as `bench: NAME VALUE UNIT`. Used to compare
// synchronous=FULL with NORMAL (docs/DURABILITY.md).
//   MURAFIQ_BIN=build/murafiq node tests/crash/writecost.mjs [seconds]
import path from 'node:path';
import { Client, cleanupDirs, coopData, runOk, startServer, tempDir } from '../http/lib.mjs';

const SECONDS = Number(process.argv[2] || 5);

async function load(client, writers, tag) {
  const until = Date.now() + SECONDS * 1000;
  const lat = [];
  let n = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      while (Date.now() < until) {
        const reg = `WC-${tag}-${w}-${n++}`;
        const t = process.hrtime.bigint();
        const r = await client.api('POST', '/api/v1/cooperatives', { ...coopData({ register_number: reg }), confirm_similar: true });
        lat.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (r.status !== 201) throw new Error(`create: ${r.status} ${r.text.slice(0, 200)}`);
      }
    }),
  );
  lat.sort((a, b) => a - b);
  const p = (q) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))].toFixed(2);
  console.log(`bench: api_create_${writers}w ${(lat.length / SECONDS).toFixed(0)} writes/s`);
  console.log(`bench: api_create_${writers}w_p50 ${p(0.5)} ms`);
  console.log(`bench: api_create_${writers}w_p99 ${p(0.99)} ms`);
}

const dir = tempDir('murafiq-writecost-');
const db = path.join(dir, 'w.db');
await runOk(['init', '--db', db]);
await runOk(['user', 'add', '--db', db, '--login', 'writer', '--role', 'admin', '--password-stdin'], { input: 'durable-kill-nine-2026\n' });
const token = (await runOk(['token', 'create', '--db', db, '--login', 'writer'])).stdout.trim();
const server = await startServer(db, { threads: 2 });
const client = new Client(server.base, { bearer: token });
await load(client, 1, 'a');
await load(client, 4, 'b');
await server.stop();
cleanupDirs();
