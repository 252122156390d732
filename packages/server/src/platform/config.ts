/**
 * The platform's configuration: one typed object read from environment variables (and an optional JSON file
 * named by INTELLUXE_CONFIG_FILE), validated once at start. Nothing else in the server reads `process.env`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export type Environment = 'development' | 'test' | 'production';

export interface Config {
  env: Environment;
  host: string;
  port: number;
  dataDir: string;
  /** PostgreSQL connection string; unset means the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined;
  dbPoolMax: number;
  /** Redis connection string; unset means the in-memory cache. */
  redisUrl: string | undefined;
  /** Base64 or hex encoded 32-byte key; unset in development means a key file in `dataDir`. */
  masterKey: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  loginMaxFailures: number;
  loginLockoutSeconds: number;
  demoPassword: string;
  /** Seed the demo practice automatically on the first embedded start. */
  autoSeedDemo: boolean;
  llm: {
    baseUrl: string | undefined;
    model: string | undefined;
    apiKey: string | undefined;
    local: boolean;
    /** Which server speaks at baseUrl (all OpenAI-compatible), or node-llama-cpp for an in-process GGUF file. */
    provider: LlmProvider;
    timeoutMs: number;
    /** Retries after a timeout, a network error, 429 or 5xx (with exponential backoff). */
    maxRetries: number;
    /** How text is de-identified before it goes to a provider not marked local. */
    phiMode: 'pseudonymize' | 'redact';
    /** Azure OpenAI api-version query parameter. */
    azureApiVersion: string;
    /** GGUF file for the node-llama-cpp provider. */
    modelPath: string | undefined;
  };
  /** Personalization and learning (LoRA training through an external trainer executable). */
  learning: {
    /** Trainer command line (split on spaces, no shell); receives --train, --eval, --output… */
    trainerCommand: string;
    trainerTimeoutMs: number;
    /** Base model adapters are trained on and served beside. */
    baseModel: string;
    /** Quality interactions since the last training that queue a retraining job. */
    retrainThreshold: number;
  };
  /** Ports of the seed-compatible services, overridable with SERVICE_PORT_<NAME>. */
  servicePorts: Record<string, number>;
  /** Run pg-boss workers in this process. */
  jobsEnabled: boolean;
  rateLimitPerMinute: number;
  corsOrigin: string | undefined;
  /** The payer gateway: the sandbox clearinghouse (default) or a CAQH CORE connection to a real one. */
  payers: PayerGatewayConfig;
}

export interface PayerGatewayConfig {
  gateway: 'sandbox' | 'core';
  /** Per-call timeout, retries on transient faults, and the circuit breaker of each payer. */
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  breakerThreshold: number;
  breakerCooldownMs: number;
  core: {
    endpoint: string | undefined;
    envelope: 'soap' | 'mime';
    auth: 'basic' | 'bearer' | 'none';
    username: string | undefined;
    password: string | undefined;
    token: string | undefined;
    senderId: string;
    receiverId: string;
  };
}

export const LLM_PROVIDERS = [
  'openai',
  'ollama',
  'vllm',
  'llamacpp',
  'lmstudio',
  'azure',
  'node-llama-cpp',
] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`invalid configuration: ${variable}: ${message}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/** The design notes' port map for the seed-compatible services. */
export const DEFAULT_SERVICE_PORTS: Readonly<Record<string, number>> = {
  'insurance-verification': 8003,
  'billing-engine': 8004,
  'compliance-monitor': 8005,
  personalization: 8007,
  'realtime-medical-assistant': 8009,
  'advanced-insurance-verifier': 8011,
  'doctor-style-adapter': 8012,
  'business-intelligence': 8013,
  'doctor-personalization': 8014,
  'insurance-integration': 8015,
  'continuous-learning': 8016,
};

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected an integer, got '${raw}'`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `expected ${min}..${max}, got ${value}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = str(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got '${raw}'`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got '${raw}'`);
  }
  return raw as T;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `expected a ${protocols.join(' or ')} URL, got '${parsed.protocol}'`);
  }
  return raw;
}

function masterKey(env: Env): string | undefined {
  const raw = str(env, 'INTELLUXE_MASTER_KEY');
  if (raw === undefined) return undefined;
  const bytes = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (bytes.length !== 32) {
    throw new ConfigError('INTELLUXE_MASTER_KEY', 'expected 32 bytes, base64 or 64 hex characters');
  }
  return raw;
}

function fileEnv(env: Env): Env {
  const path = str(env, 'INTELLUXE_CONFIG_FILE');
  if (!path) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError('INTELLUXE_CONFIG_FILE', `cannot read ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('INTELLUXE_CONFIG_FILE', 'expected a JSON object of VARIABLE: value');
  }
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v === null ? undefined : String(v)]));
}

/** True when an optional dependency can be imported (resolved without loading it). */
function optionalPackageInstalled(name: string): boolean {
  try {
    import.meta.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** Reads and validates the configuration. Environment variables win over the config file. */
export function loadConfig(processEnv: Env = process.env): Config {
  const env: Env = { ...fileEnv(processEnv), ...processEnv };
  const nodeEnv = str(env, 'NODE_ENV');
  const envName = oneOf<Environment>(
    env,
    'INTELLUXE_ENV',
    ['development', 'test', 'production'],
    nodeEnv === 'production' ? 'production' : nodeEnv === 'test' ? 'test' : 'development',
  );
  const servicePorts: Record<string, number> = {};
  for (const [name, port] of Object.entries(DEFAULT_SERVICE_PORTS)) {
    const variable = `SERVICE_PORT_${name.toUpperCase().replaceAll('-', '_')}`;
    servicePorts[name] = int(env, variable, port, 1, 65535);
  }
  const config: Config = {
    env: envName,
    host: str(env, 'HOST') ?? '0.0.0.0',
    port: int(env, 'PORT', 8000, 0, 65535),
    dataDir: resolve(str(env, 'DATA_DIR') ?? './data'),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    dbPoolMax: int(env, 'DB_POOL_MAX', 20, 1, 500),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    masterKey: masterKey(env),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86_400),
    refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL_SECONDS', 7 * 86_400, 60, 90 * 86_400),
    loginMaxFailures: int(env, 'LOGIN_MAX_FAILURES', 5, 1, 100),
    loginLockoutSeconds: int(env, 'LOGIN_LOCKOUT_SECONDS', 900, 1, 86_400),
    demoPassword: str(env, 'INTELLUXE_DEMO_PASSWORD') ?? 'intelluxe-demo',
    autoSeedDemo: bool(env, 'INTELLUXE_AUTO_SEED_DEMO', envName === 'development'),
    llm: {
      baseUrl: url(env, 'LLM_BASE_URL', ['http:', 'https:']),
      model: str(env, 'LLM_MODEL'),
      apiKey: str(env, 'LLM_API_KEY'),
      local: bool(env, 'LLM_LOCAL', true),
      provider: oneOf(env, 'LLM_PROVIDER', LLM_PROVIDERS, 'openai'),
      timeoutMs: int(env, 'LLM_TIMEOUT_MS', 60_000, 100, 3_600_000),
      maxRetries: int(env, 'LLM_MAX_RETRIES', 2, 0, 10),
      phiMode: oneOf(env, 'LLM_PHI_MODE', ['pseudonymize', 'redact'] as const, 'pseudonymize'),
      azureApiVersion: str(env, 'LLM_AZURE_API_VERSION') ?? '2024-10-21',
      modelPath: str(env, 'LLM_MODEL_PATH'),
    },
    learning: {
      trainerCommand: str(env, 'LORA_TRAINER_COMMAND') ?? 'python3 trainers/lora/train.py',
      trainerTimeoutMs: int(env, 'LORA_TRAINER_TIMEOUT_MS', 6 * 3_600_000, 1000, 7 * 24 * 3_600_000),
      baseModel: str(env, 'LORA_BASE_MODEL') ?? 'meta-llama/Llama-3.1-8B-Instruct',
      retrainThreshold: int(env, 'LEARNING_RETRAIN_THRESHOLD', 50, 1, 100_000),
    },
    servicePorts,
    jobsEnabled: bool(env, 'JOBS_ENABLED', true),
    rateLimitPerMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 6000, 1, 10_000_000),
    corsOrigin: str(env, 'CORS_ORIGIN'),
    payers: {
      gateway: oneOf(env, 'PAYER_GATEWAY', ['sandbox', 'core'], 'sandbox'),
      timeoutMs: int(env, 'PAYER_TIMEOUT_MS', 5000, 50, 120_000),
      retries: int(env, 'PAYER_RETRIES', 2, 0, 10),
      retryBaseMs: int(env, 'PAYER_RETRY_BASE_MS', 200, 1, 60_000),
      breakerThreshold: int(env, 'PAYER_BREAKER_THRESHOLD', 5, 1, 1000),
      breakerCooldownMs: int(env, 'PAYER_BREAKER_COOLDOWN_MS', 30_000, 100, 3_600_000),
      core: {
        endpoint: url(env, 'PAYER_CORE_ENDPOINT', ['http:', 'https:']),
        envelope: oneOf(env, 'PAYER_CORE_ENVELOPE', ['soap', 'mime'], 'soap'),
        auth: oneOf(env, 'PAYER_CORE_AUTH', ['basic', 'bearer', 'none'], 'basic'),
        username: str(env, 'PAYER_CORE_USERNAME'),
        password: str(env, 'PAYER_CORE_PASSWORD'),
        token: str(env, 'PAYER_CORE_TOKEN'),
        senderId: str(env, 'PAYER_CORE_SENDER_ID') ?? 'INTELLUXE',
        receiverId: str(env, 'PAYER_CORE_RECEIVER_ID') ?? 'CLEARINGHOUSE',
      },
    },
  };
  if (config.payers.gateway === 'core' && !config.payers.core.endpoint) {
    throw new ConfigError('PAYER_CORE_ENDPOINT', 'required when PAYER_GATEWAY is core');
  }
  if (config.env === 'production' && !config.masterKey) {
    throw new ConfigError('INTELLUXE_MASTER_KEY', 'required in production (32 bytes, base64 or hex)');
  }
  if (config.llm.provider === 'node-llama-cpp' && !config.llm.modelPath) {
    throw new ConfigError('LLM_MODEL_PATH', 'required with LLM_PROVIDER=node-llama-cpp (a GGUF file)');
  }
  if (config.llm.provider === 'node-llama-cpp' && !optionalPackageInstalled('node-llama-cpp')) {
    throw new ConfigError(
      'LLM_PROVIDER',
      'node-llama-cpp is an optional package that is not installed (npm install node-llama-cpp), or use an OpenAI-compatible server such as Ollama, vLLM or llama.cpp server',
    );
  }
  if (config.llm.provider === 'azure' && config.llm.baseUrl && !config.llm.apiKey) {
    throw new ConfigError('LLM_API_KEY', 'required with LLM_PROVIDER=azure');
  }
  if (config.demoPassword.length < 8) {
    throw new ConfigError('INTELLUXE_DEMO_PASSWORD', 'must be at least 8 characters');
  }
  return config;
}
