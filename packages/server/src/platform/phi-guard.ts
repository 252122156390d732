/**
 * The PHI guard for text that leaves the machine: anything sent to a model that is not local (a hosted LLM,
 * an outside embedding or transcription service) goes through `deidentifyForModel` first. Identifiers become
 * realistic surrogates that are stable per patient (the same name maps to the same surrogate in every prompt
 * about that patient, and dates keep their intervals), so the model still reads natural text. Built on
 * @intelluxe/phi; nothing here calls the network.
 */
import { createHmac } from 'node:crypto';
import { deidentify, type PhiType } from '@intelluxe/phi';

export interface GuardedText {
  /** The text with every identifier replaced. */
  text: string;
  /** How many identifiers of each type were replaced (never the values). */
  replaced: Partial<Record<PhiType, number>>;
}

const keys = new WeakMap<Buffer, string>();

/**
 * The surrogate key derived from the master key: stable across restarts, never the master key itself, and
 * different from every other use of the master key.
 */
export function phiSurrogateKey(masterKey: Buffer): string {
  let key = keys.get(masterKey);
  if (!key) {
    key = createHmac('sha256', masterKey).update('intelluxe.phi.surrogates.v1').digest('hex');
    keys.set(masterKey, key);
  }
  return key;
}

/** Counts of spans per type. */
export function countByType(spans: ReadonlyArray<{ type: PhiType }>): Partial<Record<PhiType, number>> {
  const counts: Partial<Record<PhiType, number>> = {};
  for (const s of spans) counts[s.type] = (counts[s.type] ?? 0) + 1;
  return counts;
}

/**
 * De-identifies `text` for a model outside the machine. `patientKey` (a patient id) scopes the surrogates and
 * the date shift to one patient; `masterKey` is `platform.masterKey`.
 */
export function deidentifyForModel(text: string, patientKey: string, masterKey: Buffer): GuardedText {
  const result = deidentify(text, {
    mode: 'pseudonymize',
    key: phiSurrogateKey(masterKey),
    patientKey,
  });
  return { text: result.text, replaced: countByType(result.spans) };
}
