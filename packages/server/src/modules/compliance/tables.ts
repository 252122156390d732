/** Kysely interfaces of the compliance module's tables (migrations/0200_compliance.ts). */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T extends object | null> = JSONColumnType<T, string, string>;

export interface ComplianceRulesTable {
  /** 'global' or 'practice:<uuid>', as in settings. */
  scope: string;
  rule_id: string;
  enabled: boolean;
  risk_level: string;
  params: Json<Record<string, unknown>>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface SecurityAlertsTable {
  id: Generated<string>;
  practice_id: string | null;
  rule_id: string;
  risk_level: string;
  status: Generated<string>;
  title: string;
  /** Who the alert is about: a user id, an API key id or a login e-mail. */
  subject: string;
  /** What the alert merges on besides the rule and subject (a patient, an IP), '' when nothing. */
  subject_detail: Generated<string>;
  first_event_at: Timestamp;
  last_event_at: Timestamp;
  event_count: number;
  evidence: Json<number[]>;
  details: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  acknowledged_by: string | null;
  acknowledged_at: Timestamp | null;
  acknowledge_note: string | null;
  resolved_by: string | null;
  resolved_at: Timestamp | null;
  resolution: string | null;
  resolution_note: string | null;
}

export interface ComplianceMonitorCursorTable {
  id: number;
  last_seq: number;
  updated_at: Timestamp;
}

export interface ComplianceKnownIpsTable {
  actor_id: string;
  ip: string;
  first_seq: number;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface ComplianceWebhooksTable {
  scope: string;
  url: string;
  secret_enc: string;
  enabled: boolean;
  min_risk: string;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface ComplianceWebhookDeliveriesTable {
  id: Generated<string>;
  alert_id: string;
  url: string;
  status: Generated<string>;
  attempts: Generated<number>;
  last_status_code: number | null;
  last_error: string | null;
  created_at: CreatedAt;
  delivered_at: Timestamp | null;
}

export interface ComplianceTables {
  compliance_rules: ComplianceRulesTable;
  security_alerts: SecurityAlertsTable;
  compliance_monitor_cursor: ComplianceMonitorCursorTable;
  compliance_known_ips: ComplianceKnownIpsTable;
  compliance_webhooks: ComplianceWebhooksTable;
  compliance_webhook_deliveries: ComplianceWebhookDeliveriesTable;
}
