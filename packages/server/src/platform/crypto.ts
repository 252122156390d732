/**
 * PHI at rest: AES-256-GCM field encryption under data keys that are wrapped by the master key, plus HMAC
 * blind indexes for exact-match lookups. A ciphertext names its key (`v1.<keyId>.<iv>.<ciphertext+tag>`), so
 * after a rotation old rows still decrypt and can be re-encrypted in the background.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db } from './db/index.ts';

const VERSION = 'v1';

export class CryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CryptoError';
  }
}

/** Decodes a 32-byte key given as base64 or 64 hex characters. */
export function decodeKey(text: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new CryptoError('a key must be 32 bytes');
  return key;
}

/** A short, stable id for a master key (not secret: a hash prefix), stored beside each wrapped data key. */
export function masterKeyId(masterKey: Buffer): string {
  return createHash('sha256').update('intelluxe-master-key-id').update(masterKey).digest('hex').slice(0, 16);
}

function seal(key: Buffer | KeyObject, plaintext: Uint8Array, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return `${iv.toString('base64url')}.${body.toString('base64url')}`;
}

function open(key: Buffer | KeyObject, sealed: string, aad: string): Buffer {
  const [ivText, bodyText] = sealed.split('.');
  if (!ivText || !bodyText) throw new CryptoError('malformed ciphertext');
  const body = Buffer.from(bodyText, 'base64url');
  if (body.length < 16) throw new CryptoError('malformed ciphertext');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(body.subarray(body.length - 16));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
  } catch {
    throw new CryptoError('ciphertext failed authentication (wrong key or tampered data)');
  }
}

/**
 * The key ring: data keys (for field encryption) and the blind-index key, unwrapped in memory.
 * `encrypt` always uses the active data key; `decrypt` uses whichever key the ciphertext names.
 */
export class FieldCipher {
  readonly activeKeyId: string;
  // KeyObjects, not Buffers: Node would otherwise import the raw key again on every cipher it creates.
  readonly #keys: Map<string, KeyObject>;
  readonly #indexKey: KeyObject;

  constructor(activeKeyId: string, keys: Map<string, Buffer>, indexKey: Buffer) {
    if (!keys.has(activeKeyId)) throw new CryptoError(`active key ${activeKeyId} is not in the key ring`);
    this.activeKeyId = activeKeyId;
    this.#keys = new Map([...keys].map(([id, key]) => [id, createSecretKey(key)]));
    this.#indexKey = createSecretKey(indexKey);
  }

  encrypt(plaintext: string): string {
    return this.encryptBytes(Buffer.from(plaintext, 'utf8'));
  }

  encryptNullable(plaintext: string | null | undefined): string | null {
    return plaintext === null || plaintext === undefined ? null : this.encrypt(plaintext);
  }

  decrypt(envelope: string): string {
    return this.decryptBytes(envelope).toString('utf8');
  }

  /** Encrypts raw bytes (a compressed document, say) into the same envelope as `encrypt`. */
  encryptBytes(plaintext: Uint8Array): string {
    const key = this.#keys.get(this.activeKeyId)!;
    return `${VERSION}.${this.activeKeyId}.${seal(key, plaintext, this.activeKeyId)}`;
  }

  /** The bytes `encryptBytes` sealed (or a string's UTF-8 bytes). */
  decryptBytes(envelope: string): Buffer {
    const first = envelope.indexOf('.');
    const second = envelope.indexOf('.', first + 1);
    if (first < 0 || second < 0 || envelope.slice(0, first) !== VERSION) {
      throw new CryptoError('not an Intelluxe ciphertext');
    }
    const keyId = envelope.slice(first + 1, second);
    const key = this.#keys.get(keyId);
    if (!key) throw new CryptoError(`unknown key ${keyId}`);
    return open(key, envelope.slice(second + 1), keyId);
  }

  decryptNullable(envelope: string | null | undefined): string | null {
    return envelope === null || envelope === undefined ? null : this.decrypt(envelope);
  }

  /** The key id a ciphertext was written under (to find rows that need re-encryption after rotation). */
  static keyIdOf(envelope: string): string | undefined {
    return envelope.split('.')[1];
  }

  /**
   * HMAC-SHA256 blind index of a normalized value, namespaced by field so equal values in different fields
   * do not match. Normalization: trim, lower case, collapse inner whitespace.
   */
  blindIndex(field: string, value: string): string {
    const normalized = value.trim().toLowerCase().replace(/\s+/g, ' ');
    return createHmac('sha256', this.#indexKey)
      .update(field)
      .update('\u0000')
      .update(normalized)
      .digest('base64url')
      .slice(0, 32);
  }
}

/**
 * Reads the master key: from config, or in development from `<dataDir>/master.key`, created on first start.
 * Returns whether it was just created so the caller can warn.
 */
export function loadOrCreateMasterKey(
  configured: string | undefined,
  keyFile: string,
  allowCreate: boolean,
): { key: Buffer; created: boolean } {
  if (configured) return { key: decodeKey(configured), created: false };
  if (existsSync(keyFile)) return { key: decodeKey(readFileSync(keyFile, 'utf8').trim()), created: false };
  if (!allowCreate) throw new CryptoError('INTELLUXE_MASTER_KEY is required');
  mkdirSync(dirname(keyFile), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(keyFile, `${key.toString('base64')}\n`, { mode: 0o600 });
  return { key, created: true };
}

function newKeyId(kind: 'data' | 'index'): string {
  return `${kind === 'data' ? 'dk' : 'ik'}_${randomBytes(6).toString('hex')}`;
}

/**
 * Loads the key ring from `encryption_keys`, creating the first data key and the index key when the table is
 * empty. Fails clearly when the master key cannot unwrap the stored keys (a wrong INTELLUXE_MASTER_KEY).
 */
export async function loadFieldCipher(db: Db, masterKey: Buffer): Promise<FieldCipher> {
  const mkId = masterKeyId(masterKey);
  await db.transaction().execute(async (tx) => {
    for (const kind of ['data', 'index'] as const) {
      const active = await tx
        .selectFrom('encryption_keys')
        .select('id')
        .where('kind', '=', kind)
        .where('status', '=', 'active')
        .executeTakeFirst();
      if (active) continue;
      const id = newKeyId(kind);
      await tx
        .insertInto('encryption_keys')
        .values({
          id,
          kind,
          wrapped_key: seal(masterKey, randomBytes(32), id),
          master_key_id: mkId,
          status: 'active',
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  });
  const rows = await db.selectFrom('encryption_keys').selectAll().execute();
  const keys = new Map<string, Buffer>();
  let activeKeyId: string | undefined;
  let indexKey: Buffer | undefined;
  for (const row of rows) {
    let key: Buffer;
    try {
      key = open(masterKey, row.wrapped_key, row.id);
    } catch {
      throw new CryptoError(
        `the master key (id ${mkId}) cannot unwrap encryption key ${row.id} (wrapped under master key ${row.master_key_id}): check INTELLUXE_MASTER_KEY`,
      );
    }
    if (row.kind === 'index') {
      if (row.status === 'active') indexKey = key;
      continue;
    }
    keys.set(row.id, key);
    if (row.status === 'active') activeKeyId = row.id;
  }
  if (!activeKeyId || !indexKey) throw new CryptoError('the key ring has no active data key or index key');
  return new FieldCipher(activeKeyId, keys, indexKey);
}

/** Creates a new active data key and retires the old one; existing ciphertexts keep decrypting. */
export async function rotateDataKey(db: Db, masterKey: Buffer): Promise<string> {
  const id = newKeyId('data');
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('encryption_keys')
      .set({ status: 'retired' })
      .where('kind', '=', 'data')
      .where('status', '=', 'active')
      .execute();
    await tx
      .insertInto('encryption_keys')
      .values({
        id,
        kind: 'data',
        wrapped_key: seal(masterKey, randomBytes(32), id),
        master_key_id: masterKeyId(masterKey),
        status: 'active',
      })
      .execute();
  });
  return id;
}

/** Re-wraps every stored key under a new master key (master-key rotation); data is not re-encrypted. */
export async function rewrapKeys(db: Db, oldMaster: Buffer, newMaster: Buffer): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const rows = await tx.selectFrom('encryption_keys').selectAll().forUpdate().execute();
    for (const row of rows) {
      const key = open(oldMaster, row.wrapped_key, row.id);
      await tx
        .updateTable('encryption_keys')
        .set({ wrapped_key: seal(newMaster, key, row.id), master_key_id: masterKeyId(newMaster) })
        .where('id', '=', row.id)
        .execute();
    }
    return rows.length;
  });
}
