import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createLogger } from '../src/platform/logger.ts';
import { startPlatform, stopPlatform } from '../src/platform/platform.ts';
import { createServices } from '../src/services.ts';
import { testConfig } from './harness.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** The app on an in-memory database, logging at `level` into an array of parsed lines. */
async function appLoggingAt(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'ix-logs-'));
  const config = testConfig({ DATA_DIR: dataDir, DATABASE_URL: undefined, REDIS_URL: undefined });
  const platform = await startPlatform(config, {
    logger: createLogger(level, sink),
    pgliteDataDir: 'memory://',
    work: false,
  });
  const { app } = await buildApp(platform, createServices(platform));
  closers.push(async () => {
    await app.close();
    await stopPlatform(platform);
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { app, lines };
}

describe('request logs', () => {
  it('at info, one line per request with its request id and route pattern', async () => {
    const { app, lines } = await appLoggingAt('info');
    await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'req-logs-0001' } });
    const request = lines.filter((l) => l.msg === 'request');
    expect(request).toHaveLength(1);
    expect(request[0]).toMatchObject({
      reqId: 'req-logs-0001',
      route: '/health',
      status: 200,
      method: 'GET',
    });
  });

  it('at warn, none for a request that went well', async () => {
    const { app, lines } = await appLoggingAt('warn');
    const before = lines.length;
    await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'req-logs-0002' } });
    expect(lines.slice(before).filter((l) => l.reqId === 'req-logs-0002')).toEqual([]);
  });
});
