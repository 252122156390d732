import { type Kysely, sql } from 'kysely';

/** Practices, roles, users, API keys, refresh tokens, settings, encryption keys, idempotency keys. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE practices (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      npi char(10),
      tax_id text,
      address jsonb NOT NULL DEFAULT '{}',
      phone text,
      timezone text NOT NULL DEFAULT 'America/New_York',
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE roles (
      name text PRIMARY KEY,
      description text NOT NULL
    );
    INSERT INTO roles (name, description) VALUES
      ('admin', 'Practice administrator: users, settings, every module'),
      ('physician', 'Physician: patients, encounters, personalized AI assistance'),
      ('biller', 'Biller: eligibility, claims, remittance, denials and appeals'),
      ('front_desk', 'Front desk: patients, appointments, eligibility, prior authorization'),
      ('compliance_officer', 'Compliance officer: audit trail, alerts, compliance reports'),
      ('practice_manager', 'Practice manager: dashboard, analytics, reports'),
      ('service', 'A service account used by integrations through an API key');

    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid REFERENCES practices(id),
      email text NOT NULL,
      password_hash text NOT NULL,
      role text NOT NULL REFERENCES roles(name),
      full_name text NOT NULL,
      provider_id uuid,
      active boolean NOT NULL DEFAULT true,
      failed_login_count integer NOT NULL DEFAULT 0,
      locked_until timestamptz,
      last_login_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX users_email_key ON users (lower(email));

    CREATE TABLE api_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid REFERENCES practices(id),
      name text NOT NULL,
      prefix text NOT NULL UNIQUE,
      secret_hash text NOT NULL,
      role text NOT NULL REFERENCES roles(name),
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      expires_at timestamptz,
      revoked_at timestamptz
    );

    CREATE TABLE refresh_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      family_id uuid NOT NULL,
      token_hash text NOT NULL UNIQUE,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

    CREATE TABLE settings (
      scope text NOT NULL,
      key text NOT NULL,
      value jsonb NOT NULL,
      updated_by text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (scope, key)
    );

    CREATE TABLE encryption_keys (
      id text PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('data', 'index')),
      wrapped_key text NOT NULL,
      master_key_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('active', 'retired')),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX encryption_keys_one_active ON encryption_keys (kind) WHERE status = 'active';

    CREATE TABLE idempotency_keys (
      scope text NOT NULL,
      key text NOT NULL,
      request_hash text NOT NULL,
      status_code integer NOT NULL,
      response jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (scope, key)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE idempotency_keys, encryption_keys, settings, refresh_tokens, api_keys, users, roles, practices;
  `.execute(db);
}
