import { type Kysely, sql } from 'kysely';

/**
 * The compliance monitor: rule configuration, security alerts with their lifecycle, the monitor's cursor on the
 * audit sequence, the IPs each account has used, webhook targets and their deliveries.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE compliance_rules (
      scope text NOT NULL,
      rule_id text NOT NULL,
      enabled boolean NOT NULL,
      risk_level text NOT NULL CHECK (risk_level IN ('low', 'medium', 'high', 'critical')),
      params jsonb NOT NULL DEFAULT '{}',
      updated_by text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (scope, rule_id)
    );

    CREATE TABLE security_alerts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid,
      rule_id text NOT NULL,
      risk_level text NOT NULL CHECK (risk_level IN ('low', 'medium', 'high', 'critical')),
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
      title text NOT NULL,
      subject text NOT NULL,
      subject_detail text NOT NULL DEFAULT '',
      first_event_at timestamptz NOT NULL,
      last_event_at timestamptz NOT NULL,
      event_count integer NOT NULL,
      evidence jsonb NOT NULL,
      details jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      acknowledged_by text,
      acknowledged_at timestamptz,
      acknowledge_note text,
      resolved_by text,
      resolved_at timestamptz,
      resolution text CHECK (resolution IN ('confirmed_violation', 'authorized', 'false_positive')),
      resolution_note text
    );
    CREATE INDEX security_alerts_merge ON security_alerts (rule_id, subject, subject_detail, last_event_at)
      WHERE status <> 'resolved';
    CREATE INDEX security_alerts_list ON security_alerts (practice_id, created_at);
    CREATE INDEX security_alerts_status ON security_alerts (status, risk_level);

    CREATE TABLE compliance_monitor_cursor (
      id integer PRIMARY KEY CHECK (id = 1),
      last_seq bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO compliance_monitor_cursor (id, last_seq) VALUES (1, 0);

    CREATE TABLE compliance_known_ips (
      actor_id text NOT NULL,
      ip text NOT NULL,
      first_seq bigint NOT NULL,
      first_seen_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      PRIMARY KEY (actor_id, ip)
    );

    CREATE TABLE compliance_webhooks (
      scope text PRIMARY KEY,
      url text NOT NULL,
      secret_enc text NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      min_risk text NOT NULL DEFAULT 'low' CHECK (min_risk IN ('low', 'medium', 'high', 'critical')),
      updated_by text,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE compliance_webhook_deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      alert_id uuid NOT NULL REFERENCES security_alerts(id) ON DELETE CASCADE,
      url text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      last_status_code integer,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz
    );
    CREATE INDEX compliance_webhook_deliveries_alert ON compliance_webhook_deliveries (alert_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE compliance_webhook_deliveries, compliance_webhooks, compliance_known_ips,
      compliance_monitor_cursor, security_alerts, compliance_rules;
  `.execute(db);
}
