import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('defaults to the embedded database, in-memory cache and port 8000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8000,
      databaseUrl: undefined,
      redisUrl: undefined,
      env: 'development',
      autoSeedDemo: true,
    });
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.servicePorts['insurance-verification']).toBe(8003);
    expect(config.servicePorts['continuous-learning']).toBe(8016);
  });

  it.each([
    [{ PORT: 'http' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ INTELLUXE_MASTER_KEY: 'abc' }, 'INTELLUXE_MASTER_KEY'],
    [{ INTELLUXE_ENV: 'production' }, 'INTELLUXE_MASTER_KEY'],
    [{ JOBS_ENABLED: 'maybe' }, 'JOBS_ENABLED'],
    [{ SERVICE_PORT_BILLING_ENGINE: '0x10' }, 'SERVICE_PORT_BILLING_ENGINE'],
  ])('names the bad variable in %j', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as ConfigError).variable).toBe(variable);
      expect((error as Error).message).toContain(variable);
    }
  });

  it('accepts a hex or base64 master key and overrides service ports', () => {
    const config = loadConfig({
      INTELLUXE_MASTER_KEY: 'ab'.repeat(32),
      SERVICE_PORT_BILLING_ENGINE: '9004',
      INTELLUXE_ENV: 'production',
    });
    expect(config.servicePorts['billing-engine']).toBe(9004);
    expect(config.autoSeedDemo).toBe(false);
  });
});
