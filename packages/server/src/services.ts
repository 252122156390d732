/** The module services, built once over the platform. Routes, CLI, jobs and MCP tools all call these. */
import { AuditService } from './modules/audit/service.ts';
import { AuthService } from './modules/auth/service.ts';
import { PatientsService } from './modules/patients/service.ts';
import { PayersService } from './modules/payers/service.ts';
import { SettingsService } from './modules/settings/service.ts';
import type { Platform } from './platform/platform.ts';

export interface Services {
  auth: AuthService;
  audit: AuditService;
  patients: PatientsService;
  payers: PayersService;
  settings: SettingsService;
}

export function createServices(platform: Platform): Services {
  const patients = new PatientsService(platform);
  const payers = new PayersService(platform, patients);
  return {
    auth: new AuthService(platform),
    audit: new AuditService(platform),
    patients,
    payers,
    settings: new SettingsService(platform),
  };
}
