/**
 * The demo practice: providers with valid NPIs, one user per role, patients with coverages across the sandbox's
 * payers, and a year of appointments and encounters. Deterministic for a seed. Refused in production.
 */
import { npiCheckDigit } from '@intelluxe/codes';
import { hashPassword } from '../../platform/auth/passwords.ts';
import type { Role } from '../../platform/auth/roles.ts';
import { DomainError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { nextMrn } from '../patients/repo.ts';
import {
  DIAGNOSES,
  FEMALE_FIRST_NAMES,
  FIRST_NAMES,
  LAST_NAMES,
  MALE_FIRST_NAMES,
  MEDICARE_PLAN,
  PAYER_PLANS,
  PLACES,
  PROCEDURES,
  STREET_SUFFIXES,
  STREETS,
} from './data.ts';

export const DEMO_PRACTICE_NAME = 'Riverside Family Medicine';
export const DEMO_EMAIL_DOMAIN = 'demo.intelluxe.local';

export const DEMO_USERS: ReadonlyArray<{ local: string; role: Role; fullName: string }> = [
  { local: 'admin', role: 'admin', fullName: 'Dana Whitfield' },
  { local: 'physician', role: 'physician', fullName: 'Dr. Alicia Chen' },
  { local: 'biller', role: 'biller', fullName: 'Marcus Reed' },
  { local: 'frontdesk', role: 'front_desk', fullName: 'Tanya Brooks' },
  { local: 'compliance', role: 'compliance_officer', fullName: 'Gordon Pike' },
  { local: 'manager', role: 'practice_manager', fullName: 'Renee Okafor' },
];

export interface SeedOptions {
  patients?: number;
  seed?: number;
  /** Months of appointment and encounter history. */
  months?: number;
  today?: Date;
}

export interface SeedReport {
  created: boolean;
  practiceId: string;
  providers: number;
  users: number;
  patients: number;
  coverages: number;
  appointments: number;
  encounters: number;
}

/** A small, fast, seedable PRNG (mulberry32), so the demo data is the same on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}

/** A valid NPI from a 9-digit base (type 1 individuals start with 1, organizations with 1 or 2). */
export function npiFrom(base9: string): string {
  return base9 + String(npiCheckDigit(base9));
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: Date, days: number) => new Date(d.getTime() + days * 86_400_000);

function digitsOf(rand: ReturnType<typeof prng>, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rand.int(0, 9));
  return s;
}

/** A Medicare Beneficiary Identifier in CMS's format (no S, L, O, I, B, Z letters). */
function mbi(rand: ReturnType<typeof prng>): string {
  const letters = 'ACDEFGHJKMNPQRTUVWXY';
  const an = letters + '0123456789';
  const L = () => rand.pick([...letters]);
  const N = () => String(rand.int(0, 9));
  const A = () => rand.pick([...an]);
  return `${rand.int(1, 9)}${L()}${A()}${N()}${L()}${A()}${N()}${L()}${L()}${N()}${N()}`;
}

export async function seedDemo(platform: Platform, options: SeedOptions = {}): Promise<SeedReport> {
  if (platform.config.env === 'production') {
    throw new DomainError(403, 'demo-refused', 'Refused', 'demo data is never seeded in production mode');
  }
  const { db, cipher } = platform;
  const existing = await db
    .selectFrom('practices')
    .select('id')
    .where('name', '=', DEMO_PRACTICE_NAME)
    .executeTakeFirst();
  if (existing) {
    return {
      created: false,
      practiceId: existing.id,
      providers: 0,
      users: 0,
      patients: 0,
      coverages: 0,
      appointments: 0,
      encounters: 0,
    };
  }
  const rand = prng(options.seed ?? 20_260_101);
  const patientCount = options.patients ?? 200;
  const months = options.months ?? 12;
  const today = options.today ?? new Date();
  const passwordHash = await hashPassword(platform.config.demoPassword);

  const report = await db.transaction().execute(async (tx) => {
    const practice = await tx
      .insertInto('practices')
      .values({
        name: DEMO_PRACTICE_NAME,
        npi: npiFrom('198765432'),
        tax_id: '31-1234567',
        address: JSON.stringify({
          line1: '2400 Riverside Drive',
          city: 'Columbus',
          state: 'OH',
          postalCode: '43221',
        }),
        phone: '614-555-0100',
        timezone: 'America/New_York',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const practiceId = practice.id;

    const providerSpecs = [
      {
        base: '123456789',
        first: 'Alicia',
        last: 'Chen',
        cred: 'MD',
        taxonomy: '207Q00000X',
        specialty: 'Family Medicine',
        def: true,
      },
      {
        base: '145678901',
        first: 'Samuel',
        last: 'Okonkwo',
        cred: 'DO',
        taxonomy: '207R00000X',
        specialty: 'Internal Medicine',
        def: false,
      },
      {
        base: '167890123',
        first: 'Priya',
        last: 'Raman',
        cred: 'MD',
        taxonomy: '207Q00000X',
        specialty: 'Family Medicine',
        def: false,
      },
      {
        base: '189012345',
        first: 'Laura',
        last: 'Bennett',
        cred: 'NP',
        taxonomy: '363LF0000X',
        specialty: 'Family Nurse Practitioner',
        def: false,
      },
    ];
    const providers = await tx
      .insertInto('providers')
      .values(
        providerSpecs.map((p) => ({
          practice_id: practiceId,
          npi: npiFrom(p.base),
          kind: 'individual' as const,
          first_name: p.first,
          last_name: p.last,
          credentials: p.cred,
          taxonomy_code: p.taxonomy,
          specialty: p.specialty,
          is_default_rendering: p.def,
          updated_at: new Date(),
        })),
      )
      .returning(['id', 'last_name'])
      .execute();

    await tx
      .insertInto('users')
      .values(
        DEMO_USERS.map((u) => ({
          email: `${u.local}@${DEMO_EMAIL_DOMAIN}`,
          password_hash: passwordHash,
          role: u.role,
          full_name: u.fullName,
          practice_id: practiceId,
          provider_id: u.role === 'physician' ? providers[0]!.id : null,
          updated_at: new Date(),
        })),
      )
      .execute();

    await tx
      .insertInto('charge_master')
      .values(
        PROCEDURES.map((p) => ({
          practice_id: practiceId,
          code: p.code,
          description: p.description,
          charge_cents: p.chargeCents,
          updated_at: new Date(),
        })),
      )
      .execute();

    let coverages = 0;
    let appointments = 0;
    let encounters = 0;
    for (let i = 0; i < patientCount; i++) {
      const sex = rand.chance(0.52) ? 'female' : 'male';
      const firstName = rand.pick(sex === 'female' ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES);
      const lastName = rand.pick(LAST_NAMES);
      const age = rand.chance(0.2) ? rand.int(65, 92) : rand.int(1, 64);
      const dob = iso(new Date(Date.UTC(today.getUTCFullYear() - age, rand.int(0, 11), rand.int(1, 28))));
      const place = rand.pick(PLACES);
      const address = {
        line1: `${rand.int(100, 9899)} ${rand.pick(STREETS)} ${rand.pick(STREET_SUFFIXES)}`,
        city: place.city,
        state: place.state,
        postalCode: place.zip,
      };
      const phone = `614-555-${String(rand.int(100, 199)).padStart(4, '0')}`;
      const patient = await tx
        .insertInto('patients')
        .values({
          practice_id: practiceId,
          mrn: await nextMrn(tx),
          first_name_enc: cipher.encrypt(firstName),
          last_name_enc: cipher.encrypt(lastName),
          dob_enc: cipher.encrypt(dob),
          address_enc: cipher.encrypt(JSON.stringify(address)),
          phone_enc: cipher.encrypt(phone),
          email_enc: cipher.encrypt(`${firstName}.${lastName}${i}@example.com`.toLowerCase()),
          sex,
          first_name_bidx: cipher.blindIndex('patient.first_name', firstName),
          last_name_bidx: cipher.blindIndex('patient.last_name', lastName),
          dob_bidx: cipher.blindIndex('patient.dob', dob),
          phone_bidx: cipher.blindIndex('patient.phone', phone.replace(/\D/g, '')),
          key_id: cipher.activeKeyId,
          updated_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();

      const terminated = rand.chance(0.04);
      const effective = `${today.getUTCFullYear() - rand.int(0, 3)}-01-01`;
      const termination = terminated ? iso(addDays(today, -rand.int(20, 120))) : null;
      if (age >= 65) {
        const memberId = mbi(rand);
        await tx
          .insertInto('coverages')
          .values({
            patient_id: patient.id,
            payer_id: MEDICARE_PLAN.payerId,
            priority: 1,
            plan_name: MEDICARE_PLAN.planName,
            plan_type: MEDICARE_PLAN.planType,
            group_number: null,
            member_id_enc: cipher.encrypt(memberId),
            member_id_bidx: cipher.blindIndex('coverage.member_id', memberId),
            relationship: 'self',
            effective_date: effective,
            termination_date: termination,
            updated_at: new Date(),
          })
          .execute();
      } else {
        const plan = rand.pick(PAYER_PLANS);
        const memberId = plan.memberPrefix + digitsOf(rand, plan.digits);
        const child = age < 18;
        const subscriber = child
          ? {
              firstName: rand.pick(FIRST_NAMES),
              lastName,
              dateOfBirth: iso(
                new Date(
                  Date.UTC(today.getUTCFullYear() - age - rand.int(22, 40), rand.int(0, 11), rand.int(1, 28)),
                ),
              ),
            }
          : null;
        await tx
          .insertInto('coverages')
          .values({
            patient_id: patient.id,
            payer_id: plan.payerId,
            priority: 1,
            plan_name: plan.planName,
            plan_type: plan.planType,
            group_number: plan.group,
            member_id_enc: cipher.encrypt(memberId),
            member_id_bidx: cipher.blindIndex('coverage.member_id', memberId),
            relationship: child ? 'child' : 'self',
            subscriber_enc: subscriber ? cipher.encrypt(JSON.stringify(subscriber)) : null,
            effective_date: effective,
            termination_date: termination,
            updated_at: new Date(),
          })
          .execute();
      }
      coverages += 1;

      const visits = rand.int(1, 5);
      for (let v = 0; v < visits; v++) {
        const provider = rand.pick(providers);
        const day = addDays(today, -rand.int(1, months * 30));
        const start = new Date(
          Date.UTC(
            day.getUTCFullYear(),
            day.getUTCMonth(),
            day.getUTCDate(),
            rand.int(13, 21),
            rand.pick([0, 15, 30, 45]),
          ),
        );
        const noShow = rand.chance(0.07);
        const appointment = await tx
          .insertInto('appointments')
          .values({
            practice_id: practiceId,
            patient_id: patient.id,
            provider_id: provider.id,
            starts_at: start,
            ends_at: new Date(start.getTime() + 20 * 60_000),
            status: noShow ? 'no_show' : 'completed',
            appointment_type: rand.pick(['follow_up', 'office_visit', 'annual_physical', 'sick_visit']),
            reason_enc: cipher.encrypt(
              rand.pick([
                'Follow-up',
                'Medication review',
                'Annual physical',
                'Cough and congestion',
                'Back pain',
              ]),
            ),
            updated_at: new Date(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        appointments += 1;
        if (noShow) continue;
        const dx = [rand.pick(DIAGNOSES)];
        if (rand.chance(0.4)) {
          const second = rand.pick(DIAGNOSES);
          if (second.code !== dx[0]!.code) dx.push(second);
        }
        const em = rand.pick(PROCEDURES.slice(0, 4));
        const procedures = [
          {
            code: em.code,
            units: 1,
            chargeCents: em.chargeCents,
            diagnosisPointers: dx.map((_, k) => k + 1),
          },
        ];
        if (rand.chance(0.3)) {
          for (const lab of [PROCEDURES[5]!, PROCEDURES[6]!])
            procedures.push({
              code: lab.code,
              units: 1,
              chargeCents: lab.chargeCents,
              diagnosisPointers: [1],
            });
        }
        await tx
          .insertInto('encounters')
          .values({
            practice_id: practiceId,
            patient_id: patient.id,
            provider_id: provider.id,
            appointment_id: appointment.id,
            date_of_service: iso(start),
            place_of_service: '11',
            encounter_type: 'office_visit',
            status: 'closed',
            diagnoses: JSON.stringify(dx),
            procedures: JSON.stringify(procedures),
            updated_at: new Date(),
          })
          .execute();
        encounters += 1;
      }
      if (rand.chance(0.15)) {
        const tomorrow = addDays(today, 1);
        const start = new Date(
          Date.UTC(
            tomorrow.getUTCFullYear(),
            tomorrow.getUTCMonth(),
            tomorrow.getUTCDate(),
            rand.int(13, 21),
            rand.pick([0, 20, 40]),
          ),
        );
        await tx
          .insertInto('appointments')
          .values({
            practice_id: practiceId,
            patient_id: patient.id,
            provider_id: rand.pick(providers).id,
            starts_at: start,
            ends_at: new Date(start.getTime() + 20 * 60_000),
            status: 'scheduled',
            appointment_type: 'follow_up',
            reason_enc: cipher.encrypt('Follow-up'),
            updated_at: new Date(),
          })
          .execute();
        appointments += 1;
      }
    }
    return {
      created: true,
      practiceId,
      providers: providers.length,
      users: DEMO_USERS.length,
      patients: patientCount,
      coverages,
      appointments,
      encounters,
    };
  });
  await platform.audit.record({
    action: 'demo.seed',
    outcome: 'success',
    actorType: 'system',
    practiceId: report.practiceId,
    details: { patients: report.patients, encounters: report.encounters },
  });
  return report;
}
