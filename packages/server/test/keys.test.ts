import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CryptoError,
  FieldCipher,
  loadFieldCipher,
  loadOrCreateMasterKey,
  rewrapKeys,
  rotateDataKey,
} from '../src/platform/crypto.ts';
import { startTestContext } from './harness.ts';

describe('key management', () => {
  it('creates a master key file on the first embedded start and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ix-key-'));
    try {
      const file = join(dir, 'master.key');
      const first = loadOrCreateMasterKey(undefined, file, true);
      expect(first.created).toBe(true);
      expect(existsSync(file)).toBe(true);
      const second = loadOrCreateMasterKey(undefined, file, true);
      expect(second).toEqual({ key: first.key, created: false });
      expect(readFileSync(file, 'utf8').trim()).toBe(first.key.toString('base64'));
      expect(() => loadOrCreateMasterKey(undefined, join(dir, 'none.key'), false)).toThrow(
        /INTELLUXE_MASTER_KEY/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rotates the data key and the master key without losing access to existing PHI', async () => {
    const t = await startTestContext({ seedPatients: 3 });
    try {
      const auth = { authorization: await t.bearer('front_desk') };
      const before = (await t.app.inject({ method: 'GET', url: '/v1/patients', headers: auth })).json().items;
      const row = await t.platform.db
        .selectFrom('patients')
        .select(['id', 'last_name_enc'])
        .executeTakeFirstOrThrow();

      const newDataKey = await rotateDataKey(t.platform.db, t.platform.masterKey);
      const rotated = await loadFieldCipher(t.platform.db, t.platform.masterKey);
      expect(rotated.activeKeyId).toBe(newDataKey);
      expect(FieldCipher.keyIdOf(row.last_name_enc)).not.toBe(newDataKey);
      expect(rotated.decrypt(row.last_name_enc)).toBe(
        before.find((p: { id: string }) => p.id === row.id).lastName,
      );

      const newMaster = randomBytes(32);
      expect(await rewrapKeys(t.platform.db, t.platform.masterKey, newMaster)).toBe(3);
      const underNewMaster = await loadFieldCipher(t.platform.db, newMaster);
      expect(underNewMaster.decrypt(row.last_name_enc)).toBe(rotated.decrypt(row.last_name_enc));
      await expect(loadFieldCipher(t.platform.db, t.platform.masterKey)).rejects.toThrow(CryptoError);
    } finally {
      await t.close();
    }
  });
});
