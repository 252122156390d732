/**
 * The design notes' seed-compatible services: each is a small set of endpoints over the same module services,
 * served on its own port by `intelluxe serve --services a,b`, and under /services/<name>/ in all-in-one mode.
 * Modules register their endpoints here; every service answers GET /health.
 */
import { registerBillingEngine } from './modules/claims/seed.ts';
import { registerComplianceSeedService } from './modules/compliance/seed.ts';
import {
  registerAdvancedInsuranceVerifier,
  registerInsuranceVerification,
} from './modules/eligibility/seed.ts';
import { continuousLearningSeed } from './modules/learning/seed.ts';
import {
  doctorPersonalizationSeed,
  doctorStyleAdapterSeed,
  personalizationSeed,
} from './modules/personalization/seed.ts';
import type { App } from './platform/http/types.ts';
import type { Platform } from './platform/platform.ts';
import type { Services } from './services.ts';

export interface SeedService {
  name: string;
  description: string;
  /** Registers the service's endpoints (relative paths: the caller decides the prefix). */
  register?(app: App, services: Services, platform: Platform): void;
}

export const SEED_SERVICES: readonly SeedService[] = [
  {
    name: 'insurance-verification',
    description: 'Insurance eligibility verification (POST /verify)',
    register: registerInsuranceVerification,
  },
  {
    name: 'billing-engine',
    description: 'Claims creation and billing (POST /create_claim)',
    register: registerBillingEngine,
  },
  {
    name: 'compliance-monitor',
    description:
      'Access logging, PHI scanning and the security dashboard (POST /log_access, POST /scan_pii, GET /security_monitoring_dashboard)',
    register: registerComplianceSeedService,
  },
  personalizationSeed,
  { name: 'realtime-medical-assistant', description: 'Real-time administrative assistant' },
  {
    name: 'advanced-insurance-verifier',
    description: 'Real-time verification and prior authorization',
    register: registerAdvancedInsuranceVerifier,
  },
  doctorStyleAdapterSeed,
  { name: 'business-intelligence', description: 'Practice analytics' },
  doctorPersonalizationSeed,
  { name: 'insurance-integration', description: 'Payer integrations' },
  continuousLearningSeed,
];

export function findSeedService(name: string): SeedService | undefined {
  return SEED_SERVICES.find((s) => s.name === name);
}

/** Mounts one seed service on `app` at `prefix` ('' on its own port). */
export function mountSeedService(
  app: App,
  service: SeedService,
  services: Services,
  platform: Platform,
  prefix: string,
): void {
  app.register(
    async (scope) => {
      const scoped = scope as unknown as App;
      scoped.get(
        '/health',
        {
          config: { auth: 'public' },
          schema: { tags: ['seed services'], summary: `${service.name} health` },
        },
        async () => ({
          status: 'healthy',
          service: service.name,
        }),
      );
      service.register?.(scoped, services, platform);
    },
    { prefix },
  );
}
