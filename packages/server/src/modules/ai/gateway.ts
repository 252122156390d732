/**
 * The LLM gateway: one client for every OpenAI-compatible server (Ollama, vLLM, llama.cpp server, LM Studio,
 * OpenAI, Azure OpenAI) and, optionally, in-process inference of a GGUF file through node-llama-cpp. Every call
 * has a timeout, retries with backoff on transient failures, Prometheus metrics, and a trace row in
 * `ai_interactions` (model, sha256 of the prompt, tokens, latency, outcome). Text bound for a provider that is
 * not marked local is de-identified with @intelluxe/phi before it leaves the process.
 */
import { createHash, createHmac } from 'node:crypto';
import { deidentify } from '@intelluxe/phi';
import { Ajv } from 'ajv';
import { Counter, Histogram } from 'prom-client';
import type { Config, LlmProvider } from '../../platform/config.ts';
import { DomainError, ServiceUnavailableError, ValidationError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  name?: string;
}

export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export type ResponseFormat =
  | { type: 'json_schema'; json_schema: { name: string; schema: Record<string, unknown>; strict?: boolean } }
  | { type: 'json_object' }
  | { type: 'text' };

export interface ChatRequest {
  messages: ChatMessage[];
  /** Model (or adapter) name; default config.llm.model. */
  model?: string;
  tools?: ToolDefinition[];
  toolChoice?: 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };
  responseFormat?: ResponseFormat;
  temperature?: number;
  maxTokens?: number;
  /** What the call is for (metrics and trace label), e.g. 'personalization.generate'. */
  feature: string;
  practiceId?: string | null;
  actorId?: string | null;
  signal?: AbortSignal;
}

export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface ChatResult {
  content: string;
  toolCalls: ToolCall[];
  finishReason: string;
  model: string;
  usage: ChatUsage;
  latencyMs: number;
  attempts: number;
  traceId: string;
  /** PHI spans replaced before sending (0 for local providers). */
  phiRedactions: number;
  /** The parsed JSON when a json_schema or json_object response format was asked for. */
  parsed?: unknown;
}

export type StreamEvent = { type: 'delta'; content: string } | { type: 'done'; result: ChatResult };

export class LlmError extends DomainError {
  readonly retryable: boolean;
  readonly outcome: 'error' | 'timeout' | 'invalid_output';
  constructor(
    status: number,
    detail: string,
    options: { retryable?: boolean; outcome?: 'error' | 'timeout' | 'invalid_output' } = {},
  ) {
    super(status, 'llm-error', 'Language model call failed', detail);
    this.retryable = options.retryable ?? false;
    this.outcome = options.outcome ?? 'error';
  }
}

interface Prepared {
  messages: ChatMessage[];
  redactions: number;
  model: string;
  promptHash: string;
}

interface LocalRuntime {
  llama: {
    createGrammarForJsonSchema(schema: unknown): Promise<unknown>;
  };
  model: { createContext(): Promise<LocalContext> };
  LlamaChatSession: new (options: { contextSequence: unknown; systemPrompt?: string }) => LocalSession;
}
interface LocalContext {
  getSequence(): unknown;
  dispose(): Promise<void>;
}
interface LocalSession {
  prompt(
    text: string,
    options: {
      maxTokens?: number;
      temperature?: number;
      grammar?: unknown;
      onTextChunk?: (text: string) => void;
      signal?: AbortSignal;
    },
  ): Promise<string>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const estimateTokens = (text: string) => Math.ceil(text.length / 4);

export interface GatewayStatus {
  configured: boolean;
  provider: LlmProvider;
  model: string | null;
  local: boolean;
  phiGuard: 'off (local provider)' | 'pseudonymize' | 'redact';
  timeoutMs: number;
  maxRetries: number;
}

export class LlmGateway {
  readonly #p: Platform;
  readonly #config: Config['llm'];
  readonly #phiKey: string;
  readonly #calls: Counter<'provider' | 'model' | 'outcome' | 'feature'>;
  readonly #tokens: Counter<'model' | 'kind'>;
  readonly #latency: Histogram<'model' | 'outcome'>;
  readonly #ajv = new Ajv({ allErrors: true, strict: false });
  #local: Promise<LocalRuntime> | null = null;

  constructor(platform: Platform) {
    this.#p = platform;
    this.#config = platform.config.llm;
    this.#phiKey = createHmac('sha256', platform.masterKey).update('intelluxe:llm-phi-guard').digest('hex');
    const registers = [platform.metrics.registry];
    this.#calls = new Counter({
      name: 'intelluxe_llm_calls_total',
      help: 'LLM calls by provider, model, feature and outcome',
      labelNames: ['provider', 'model', 'outcome', 'feature'],
      registers,
    });
    this.#tokens = new Counter({
      name: 'intelluxe_llm_tokens_total',
      help: 'LLM tokens by model and kind (prompt, completion)',
      labelNames: ['model', 'kind'],
      registers,
    });
    this.#latency = new Histogram({
      name: 'intelluxe_llm_latency_seconds',
      help: 'LLM call latency (all attempts) by model and outcome',
      labelNames: ['model', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
  }

  /** True when a model can be called: a base URL and model, or node-llama-cpp with a GGUF file. */
  get configured(): boolean {
    if (this.#config.provider === 'node-llama-cpp') return Boolean(this.#config.modelPath);
    return Boolean(this.#config.baseUrl && this.#config.model);
  }

  status(): GatewayStatus {
    const local = this.#config.local || this.#config.provider === 'node-llama-cpp';
    return {
      configured: this.configured,
      provider: this.#config.provider,
      model: this.#config.model ?? null,
      local,
      phiGuard: local ? 'off (local provider)' : this.#config.phiMode,
      timeoutMs: this.#config.timeoutMs,
      maxRetries: this.#config.maxRetries,
    };
  }

  /** One chat completion (tools and structured output included). */
  async chat(request: ChatRequest): Promise<ChatResult> {
    const prepared = this.#prepare(request);
    const started = performance.now();
    let attempts = 0;
    try {
      const { result, attempts: used } = await this.#withRetries(request, async (signal) => {
        attempts++;
        return this.#config.provider === 'node-llama-cpp'
          ? this.#localChat(prepared, request, signal)
          : this.#httpChat(prepared, request, signal);
      });
      attempts = used;
      const final = this.#finish(request, prepared, result, started, attempts, false);
      return await final;
    } catch (error) {
      await this.#failed(request, prepared, error, started, Math.max(1, attempts), false);
      throw error;
    }
  }

  /** A streamed chat completion: content deltas as they arrive, then the whole result. */
  async *stream(request: ChatRequest): AsyncGenerator<StreamEvent> {
    const prepared = this.#prepare(request);
    const started = performance.now();
    let attempts = 0;
    try {
      let content = '';
      let usage: ChatUsage | null = null;
      let finishReason = 'stop';
      let model = prepared.model;
      const toolCalls: ToolCall[] = [];
      if (this.#config.provider === 'node-llama-cpp') {
        const chunks: string[] = [];
        attempts = 1;
        const result = await this.#localChat(prepared, request, this.#signal(request), (t) => chunks.push(t));
        for (const chunk of chunks) yield { type: 'delta', content: chunk };
        content = result.content;
        usage = result.usage;
      } else {
        // A stream may run longer than the timeout: the timeout is the longest wait for the headers or between
        // two events, not the whole answer.
        let idle: IdleTimeout | null = null;
        const { result: response, attempts: used } = await this.#withRetries(
          request,
          async (signal) => {
            attempts++;
            return this.#post(prepared, request, true, signal);
          },
          () => {
            idle?.clear();
            idle = new IdleTimeout(this.#config.timeoutMs, request.signal);
            return idle.signal;
          },
        );
        attempts = used;
        const timer = idle as IdleTimeout | null;
        timer?.touch();
        try {
          for await (const event of sseEvents(response)) {
            timer?.touch();
            if (event === '[DONE]') break;
            let chunk: Record<string, unknown>;
            try {
              chunk = JSON.parse(event) as Record<string, unknown>;
            } catch {
              throw new LlmError(502, 'the model server sent a stream event that is not JSON', {
                outcome: 'invalid_output',
              });
            }
            if (typeof chunk.model === 'string') model = chunk.model;
            const u = chunk.usage as { prompt_tokens?: number; completion_tokens?: number } | undefined;
            if (u) usage = { promptTokens: u.prompt_tokens ?? 0, completionTokens: u.completion_tokens ?? 0 };
            const choice = (chunk.choices as Array<Record<string, unknown>> | undefined)?.[0];
            if (!choice) continue;
            if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
            const delta = (choice.delta ?? {}) as {
              content?: string | null;
              tool_calls?: Array<{
                index?: number;
                id?: string;
                function?: { name?: string; arguments?: string };
              }>;
            };
            if (delta.content) {
              content += delta.content;
              yield { type: 'delta', content: delta.content };
            }
            for (const part of delta.tool_calls ?? []) {
              const index = part.index ?? toolCalls.length;
              let call = toolCalls[index];
              if (!call) {
                call = {
                  id: part.id ?? `call_${index}`,
                  type: 'function',
                  function: { name: '', arguments: '' },
                };
                toolCalls[index] = call;
              }
              if (part.id) call.id = part.id;
              if (part.function?.name) call.function.name += part.function.name;
              if (part.function?.arguments) call.function.arguments += part.function.arguments;
            }
          }
        } finally {
          timer?.clear();
        }
      }
      const result: Omit<ChatResult, 'latencyMs' | 'attempts' | 'traceId' | 'phiRedactions'> = {
        content,
        toolCalls,
        finishReason,
        model,
        usage: usage ?? {
          promptTokens: estimateTokens(prepared.messages.map((m) => m.content ?? '').join('\n')),
          completionTokens: estimateTokens(content),
        },
      };
      yield { type: 'done', result: await this.#finish(request, prepared, result, started, attempts, true) };
    } catch (caught) {
      const error =
        caught instanceof Error && (caught.name === 'TimeoutError' || caught.name === 'AbortError')
          ? new LlmError(504, `the model stream stopped: ${caught.message}`, { outcome: 'timeout' })
          : caught;
      await this.#failed(request, prepared, error, started, Math.max(1, attempts), true);
      throw error;
    }
  }

  /** De-identifies `text` the way the gateway would before sending it to a non-local provider. */
  guard(text: string): { text: string; redactions: number } {
    if (this.#config.local || this.#config.provider === 'node-llama-cpp') return { text, redactions: 0 };
    const result = deidentify(text, { mode: this.#config.phiMode, key: this.#phiKey });
    return { text: result.text, redactions: result.spans.length };
  }

  #prepare(request: ChatRequest): Prepared {
    if (!this.configured) {
      throw new ServiceUnavailableError(
        'no language model is configured (set LLM_BASE_URL and LLM_MODEL, or LLM_PROVIDER=node-llama-cpp with LLM_MODEL_PATH)',
        { retryable: false },
      );
    }
    if (request.messages.length === 0)
      throw new ValidationError([{ path: '/messages', message: 'is empty' }]);
    let redactions = 0;
    const messages = request.messages.map((m) => {
      if (typeof m.content !== 'string' || m.content === '') return m;
      const guarded = this.guard(m.content);
      redactions += guarded.redactions;
      return { ...m, content: guarded.text };
    });
    const model = request.model ?? this.#config.model ?? 'local-gguf';
    const promptHash = createHash('sha256')
      .update(JSON.stringify({ model, messages, tools: request.tools ?? null }))
      .digest('hex');
    return { messages, redactions, model, promptHash };
  }

  #signal(request: ChatRequest): AbortSignal {
    const timeout = AbortSignal.timeout(this.#config.timeoutMs);
    return request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  }

  async #withRetries<T>(
    request: ChatRequest,
    attempt: (signal: AbortSignal) => Promise<T>,
    signalFor: () => AbortSignal = () => this.#signal(request),
  ): Promise<{ result: T; attempts: number }> {
    let lastError: unknown;
    for (let n = 0; n <= this.#config.maxRetries; n++) {
      try {
        return { result: await attempt(signalFor()), attempts: n + 1 };
      } catch (error) {
        lastError = error;
        const retryable = error instanceof LlmError ? error.retryable : false;
        if (!retryable || n === this.#config.maxRetries || request.signal?.aborted) break;
        const retryAfter = error instanceof RetryAfter ? error.seconds * 1000 : 0;
        await sleep(Math.min(5000, Math.max(retryAfter, 100 * 2 ** n)));
      }
    }
    throw lastError;
  }

  #url(model: string): { url: string; headers: Record<string, string> } {
    const base = this.#config.baseUrl!.replace(/\/+$/, '');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.#config.provider === 'azure') {
      headers['api-key'] = this.#config.apiKey ?? '';
      return {
        url: `${base}/openai/deployments/${encodeURIComponent(model)}/chat/completions?api-version=${encodeURIComponent(this.#config.azureApiVersion)}`,
        headers,
      };
    }
    if (this.#config.apiKey) headers.authorization = `Bearer ${this.#config.apiKey}`;
    return { url: `${base}/chat/completions`, headers };
  }

  async #post(prepared: Prepared, request: ChatRequest, stream: boolean, signal: AbortSignal) {
    const { url, headers } = this.#url(prepared.model);
    const body: Record<string, unknown> = { model: prepared.model, messages: prepared.messages, stream };
    if (stream) body.stream_options = { include_usage: true };
    if (request.tools?.length) body.tools = request.tools;
    if (request.toolChoice) body.tool_choice = request.toolChoice;
    if (request.responseFormat) body.response_format = request.responseFormat;
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal });
    } catch (error) {
      if (signal.aborted && !request.signal?.aborted) {
        throw new LlmError(504, `no answer from the model server in ${this.#config.timeoutMs} ms`, {
          retryable: true,
          outcome: 'timeout',
        });
      }
      throw new LlmError(502, `cannot reach the model server: ${(error as Error).message}`, {
        retryable: !request.signal?.aborted,
      });
    }
    if (!response.ok) {
      const text = (await response.text().catch(() => '')).slice(0, 300);
      const retryable = response.status === 429 || response.status >= 500;
      const message = `the model server answered HTTP ${response.status}${text ? `: ${text}` : ''}`;
      const retryAfter = Number(response.headers.get('retry-after'));
      if (retryable && Number.isFinite(retryAfter) && retryAfter > 0)
        throw new RetryAfter(message, retryAfter);
      throw new LlmError(502, message, { retryable });
    }
    return response;
  }

  async #httpChat(
    prepared: Prepared,
    request: ChatRequest,
    signal: AbortSignal,
  ): Promise<Omit<ChatResult, 'latencyMs' | 'attempts' | 'traceId' | 'phiRedactions'>> {
    const response = await this.#post(prepared, request, false, signal);
    let json: {
      model?: string;
      choices?: Array<{
        message?: { content?: string | null; tool_calls?: ToolCall[] };
        finish_reason?: string;
      }>;
      usage?: { prompt_tokens?: number; completion_tokens?: number };
    };
    try {
      json = (await response.json()) as typeof json;
    } catch (error) {
      if (signal.aborted) {
        throw new LlmError(504, `no answer from the model server in ${this.#config.timeoutMs} ms`, {
          retryable: true,
          outcome: 'timeout',
        });
      }
      throw new LlmError(502, `the model server sent invalid JSON: ${(error as Error).message}`, {
        outcome: 'invalid_output',
      });
    }
    const choice = json.choices?.[0];
    if (!choice?.message) {
      throw new LlmError(502, 'the model server sent no choices', { outcome: 'invalid_output' });
    }
    const content = choice.message.content ?? '';
    return {
      content,
      toolCalls: choice.message.tool_calls ?? [],
      finishReason: choice.finish_reason ?? 'stop',
      model: json.model ?? prepared.model,
      usage: {
        promptTokens:
          json.usage?.prompt_tokens ??
          estimateTokens(prepared.messages.map((m) => m.content ?? '').join('\n')),
        completionTokens: json.usage?.completion_tokens ?? estimateTokens(content),
      },
    };
  }

  async #runtime(): Promise<LocalRuntime> {
    this.#local ??= (async () => {
      const name = 'node-llama-cpp';
      let mod: {
        getLlama(): Promise<{
          loadModel(options: { modelPath: string }): Promise<LocalRuntime['model']>;
          createGrammarForJsonSchema(schema: unknown): Promise<unknown>;
        }>;
        LlamaChatSession: LocalRuntime['LlamaChatSession'];
      };
      try {
        mod = await import(name);
      } catch {
        throw new ServiceUnavailableError(
          'LLM_PROVIDER=node-llama-cpp but the optional package node-llama-cpp is not installed ' +
            '(npm install node-llama-cpp), or use an OpenAI-compatible server (Ollama, vLLM, llama.cpp server)',
          { retryable: false },
        );
      }
      const llama = await mod.getLlama();
      const model = await llama.loadModel({ modelPath: this.#config.modelPath! });
      return { llama, model, LlamaChatSession: mod.LlamaChatSession };
    })();
    try {
      return await this.#local;
    } catch (error) {
      this.#local = null;
      throw error;
    }
  }

  async #localChat(
    prepared: Prepared,
    request: ChatRequest,
    signal: AbortSignal,
    onChunk?: (text: string) => void,
  ): Promise<Omit<ChatResult, 'latencyMs' | 'attempts' | 'traceId' | 'phiRedactions'>> {
    if (request.tools?.length) {
      throw new ValidationError([
        { path: '/tools', message: 'tool calls need an OpenAI-compatible server (not node-llama-cpp)' },
      ]);
    }
    const runtime = await this.#runtime();
    const context = await runtime.model.createContext();
    try {
      const system = prepared.messages
        .filter((m) => m.role === 'system')
        .map((m) => m.content)
        .join('\n');
      const turns = prepared.messages
        .filter((m) => m.role !== 'system')
        .map((m) => `${m.role}: ${m.content ?? ''}`)
        .join('\n\n');
      const session = new runtime.LlamaChatSession({
        contextSequence: context.getSequence(),
        systemPrompt: system || undefined,
      });
      const format = request.responseFormat;
      const grammar =
        format?.type === 'json_schema'
          ? await runtime.llama.createGrammarForJsonSchema(format.json_schema.schema)
          : undefined;
      const content = await session.prompt(turns, {
        maxTokens: request.maxTokens,
        temperature: request.temperature,
        grammar,
        onTextChunk: onChunk,
        signal,
      });
      return {
        content,
        toolCalls: [],
        finishReason: 'stop',
        model: prepared.model,
        usage: { promptTokens: estimateTokens(turns + system), completionTokens: estimateTokens(content) },
      };
    } finally {
      await context.dispose();
    }
  }

  #parse(request: ChatRequest, content: string): unknown {
    const format = request.responseFormat;
    if (!format || format.type === 'text') return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(content.trim().replace(/^```(?:json)?\s*|\s*```$/g, ''));
    } catch {
      throw new LlmError(502, 'the model did not answer with JSON', { outcome: 'invalid_output' });
    }
    if (format.type === 'json_schema') {
      const validate = this.#ajv.compile(format.json_schema.schema);
      if (!validate(parsed)) {
        const first = validate.errors?.[0];
        throw new LlmError(
          502,
          `the model's JSON does not match ${format.json_schema.name}: ${first?.instancePath || '/'} ${first?.message ?? ''}`,
          { outcome: 'invalid_output' },
        );
      }
    }
    return parsed;
  }

  async #finish(
    request: ChatRequest,
    prepared: Prepared,
    result: Omit<ChatResult, 'latencyMs' | 'attempts' | 'traceId' | 'phiRedactions'>,
    started: number,
    attempts: number,
    streamed: boolean,
  ): Promise<ChatResult> {
    let parsed: unknown;
    try {
      parsed = this.#parse(request, result.content);
    } catch (error) {
      await this.#failed(request, prepared, error, started, attempts, streamed);
      throw error;
    }
    const latencyMs = Math.round(performance.now() - started);
    const traceId = await this.#trace(request, prepared, {
      outcome: 'ok',
      latencyMs,
      attempts,
      streamed,
      usage: result.usage,
      toolCalls: result.toolCalls.length,
      error: null,
    });
    return {
      ...result,
      latencyMs,
      attempts,
      traceId,
      phiRedactions: prepared.redactions,
      ...(parsed === undefined ? {} : { parsed }),
    };
  }

  async #failed(
    request: ChatRequest,
    prepared: Prepared,
    error: unknown,
    started: number,
    attempts: number,
    streamed: boolean,
  ): Promise<void> {
    if (error instanceof LlmError && (error as { traced?: boolean }).traced) return;
    const outcome = error instanceof LlmError ? error.outcome : 'error';
    await this.#trace(request, prepared, {
      outcome,
      latencyMs: Math.round(performance.now() - started),
      attempts,
      streamed,
      usage: { promptTokens: 0, completionTokens: 0 },
      toolCalls: 0,
      error: (error as Error).message.slice(0, 500),
    }).catch((e) => this.#p.logger.warn({ err: e }, 'llm trace write failed'));
    if (error instanceof LlmError) Object.assign(error, { traced: true });
  }

  async #trace(
    request: ChatRequest,
    prepared: Prepared,
    t: {
      outcome: 'ok' | 'error' | 'timeout' | 'invalid_output';
      latencyMs: number;
      attempts: number;
      streamed: boolean;
      usage: ChatUsage;
      toolCalls: number;
      error: string | null;
    },
  ): Promise<string> {
    const labels = { provider: this.#config.provider, model: prepared.model };
    this.#calls.inc({ ...labels, outcome: t.outcome, feature: request.feature });
    this.#latency.observe({ model: prepared.model, outcome: t.outcome }, t.latencyMs / 1000);
    this.#tokens.inc({ model: prepared.model, kind: 'prompt' }, t.usage.promptTokens);
    this.#tokens.inc({ model: prepared.model, kind: 'completion' }, t.usage.completionTokens);
    const row = await this.#p.db
      .insertInto('ai_interactions')
      .values({
        practice_id: request.practiceId ?? null,
        actor_id: request.actorId ?? null,
        feature: request.feature,
        provider: this.#config.provider,
        model: prepared.model,
        prompt_hash: prepared.promptHash,
        prompt_tokens: t.usage.promptTokens,
        completion_tokens: t.usage.completionTokens,
        latency_ms: t.latencyMs,
        attempts: t.attempts,
        streamed: t.streamed,
        tool_calls: t.toolCalls,
        phi_redactions: prepared.redactions,
        outcome: t.outcome,
        error: t.error,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.#p.audit.record({
      action: 'ai.call',
      outcome: t.outcome === 'ok' ? 'success' : 'failure',
      actorType: request.actorId ? 'user' : 'system',
      actorId: request.actorId ?? null,
      practiceId: request.practiceId ?? null,
      resourceType: 'ai_interaction',
      resourceId: row.id,
      details: {
        feature: request.feature,
        model: prepared.model,
        outcome: t.outcome,
        phiRedactions: prepared.redactions,
      },
    });
    return row.id;
  }
}

/** An abort signal that fires after `ms` without a `touch()` (or when `parent` aborts). */
class IdleTimeout {
  readonly #controller = new AbortController();
  readonly #ms: number;
  #timer: NodeJS.Timeout | undefined;
  readonly signal: AbortSignal;

  constructor(ms: number, parent?: AbortSignal) {
    this.#ms = ms;
    this.signal = parent ? AbortSignal.any([this.#controller.signal, parent]) : this.#controller.signal;
    this.touch();
  }

  touch(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () => this.#controller.abort(new DOMException(`no data for ${this.#ms} ms`, 'TimeoutError')),
      this.#ms,
    );
  }

  clear(): void {
    clearTimeout(this.#timer);
  }
}

class RetryAfter extends LlmError {
  readonly seconds: number;
  constructor(message: string, seconds: number) {
    super(502, message, { retryable: true });
    this.seconds = seconds;
  }
}

/** The `data:` payloads of a server-sent-events body, one per event (multi-line data joined by newlines). */
export async function* sseEvents(response: Response): AsyncGenerator<string> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body.getReader();
  const flush = function* (final: boolean): Generator<string> {
    buffer = buffer.replace(/\r\n?/g, '\n');
    let cut = buffer.indexOf('\n\n');
    while (cut >= 0 || (final && buffer.trim() !== '')) {
      const block = cut >= 0 ? buffer.slice(0, cut) : buffer;
      buffer = cut >= 0 ? buffer.slice(cut + 2) : '';
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''));
      if (data.length > 0) yield data.join('\n');
      cut = buffer.indexOf('\n\n');
    }
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      yield* flush(false);
    }
    buffer += decoder.decode();
    yield* flush(true);
  } finally {
    reader.releaseLock();
  }
}
