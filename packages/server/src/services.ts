/** The module services, built once over the platform. Routes, CLI, jobs and MCP tools all call these. */
import { AiService } from './modules/ai/service.ts';
import { AuditService } from './modules/audit/service.ts';
import { AuthService } from './modules/auth/service.ts';
import { ClaimRiskService } from './modules/claims/risk.ts';
import { ClaimsService } from './modules/claims/service.ts';
import { ComplianceService } from './modules/compliance/service.ts';
import { ContractsService } from './modules/contracts/service.ts';
import { DenialsService } from './modules/denials/service.ts';
import { EligibilityService } from './modules/eligibility/service.ts';
import { LearningService } from './modules/learning/service.ts';
import { MlopsService } from './modules/mlops/service.ts';
import { PatientsService } from './modules/patients/service.ts';
import { PayersService } from './modules/payers/service.ts';
import { PersonalizationService } from './modules/personalization/service.ts';
import { PriorAuthsService } from './modules/prior-auth/service.ts';
import { RemittanceService } from './modules/remittance/service.ts';
import { SettingsService } from './modules/settings/service.ts';
import type { Platform } from './platform/platform.ts';

export interface Services {
  auth: AuthService;
  audit: AuditService;
  compliance: ComplianceService;
  patients: PatientsService;
  payers: PayersService;
  claims: ClaimsService;
  claimRisk: ClaimRiskService;
  denials: DenialsService;
  remittance: RemittanceService;
  contracts: ContractsService;
  eligibility: EligibilityService;
  priorAuths: PriorAuthsService;
  settings: SettingsService;
  ai: AiService;
  mlops: MlopsService;
  personalization: PersonalizationService;
  learning: LearningService;
}

export function createServices(platform: Platform): Services {
  const patients = new PatientsService(platform);
  const payers = new PayersService(platform, patients);
  const contracts = new ContractsService(platform);
  const eligibility = new EligibilityService(platform, patients, payers, contracts);
  const priorAuths = new PriorAuthsService(platform, patients, payers, eligibility);
  const claims = new ClaimsService(platform, patients, payers);
  const denials = new DenialsService(platform, claims, patients);
  const core = {
    auth: new AuthService(platform),
    audit: new AuditService(platform),
    compliance: new ComplianceService(platform),
    patients,
    payers,
    contracts,
    eligibility,
    priorAuths,
    claims,
    denials,
    remittance: new RemittanceService(platform, claims, contracts, denials, patients, payers),
    settings: new SettingsService(platform),
  };
  const ai = new AiService(platform);
  const mlops = new MlopsService(platform, core.audit);
  const personalization = new PersonalizationService(platform, ai, core.patients, mlops, core.auth);
  const learning = new LearningService(platform, personalization, mlops);
  const claimRisk = new ClaimRiskService(platform, claims, mlops);
  const services = { ...core, ai, mlops, personalization, learning, claimRisk };
  built.set(platform, services);
  return services;
}

const built = new WeakMap<Platform, Services>();

/** The services already built over this platform (the server's), or a new set for a process that serves no HTTP. */
export function servicesFor(platform: Platform): Services {
  return built.get(platform) ?? createServices(platform);
}
