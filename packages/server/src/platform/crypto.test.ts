import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CryptoError, FieldCipher } from './crypto.ts';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const index = randomBytes(32);

describe('FieldCipher', () => {
  it('round-trips text, with a fresh IV each time', () => {
    const cipher = new FieldCipher('dk_1', new Map([['dk_1', k1]]), index);
    const a = cipher.encrypt('María José Álvarez');
    const b = cipher.encrypt('María José Álvarez');
    expect(a).not.toBe(b);
    expect(a.startsWith('v1.dk_1.')).toBe(true);
    expect(cipher.decrypt(a)).toBe('María José Álvarez');
  });

  it('decrypts old ciphertexts after rotation and writes with the new key', () => {
    const before = new FieldCipher('dk_1', new Map([['dk_1', k1]]), index);
    const old = before.encrypt('1984-07-22');
    const after = new FieldCipher(
      'dk_2',
      new Map([
        ['dk_1', k1],
        ['dk_2', k2],
      ]),
      index,
    );
    expect(after.decrypt(old)).toBe('1984-07-22');
    expect(FieldCipher.keyIdOf(after.encrypt('x'))).toBe('dk_2');
  });

  it('refuses tampered ciphertext and unknown keys', () => {
    const cipher = new FieldCipher('dk_1', new Map([['dk_1', k1]]), index);
    const sealed = cipher.encrypt('219-09-9999');
    const flipped = sealed.slice(0, -3) + (sealed.at(-3) === 'A' ? 'B' : 'A') + sealed.slice(-2);
    expect(() => cipher.decrypt(flipped)).toThrow(CryptoError);
    expect(() => cipher.decrypt(sealed.replace('dk_1', 'dk_9'))).toThrow(/unknown key/);
    expect(() => cipher.decrypt('plaintext')).toThrow(CryptoError);
  });

  it('makes blind indexes that match normalized values and differ per field', () => {
    const cipher = new FieldCipher('dk_1', new Map([['dk_1', k1]]), index);
    expect(cipher.blindIndex('patient.last_name', ' Alvarez ')).toBe(
      cipher.blindIndex('patient.last_name', 'ALVAREZ'),
    );
    expect(cipher.blindIndex('patient.last_name', 'Alvarez')).not.toBe(
      cipher.blindIndex('patient.first_name', 'Alvarez'),
    );
    const other = new FieldCipher('dk_1', new Map([['dk_1', k1]]), randomBytes(32));
    expect(other.blindIndex('patient.last_name', 'Alvarez')).not.toBe(
      cipher.blindIndex('patient.last_name', 'Alvarez'),
    );
  });
});
