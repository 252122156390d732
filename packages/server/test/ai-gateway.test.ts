import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ChatResult, LlmError, LlmGateway, sseEvents } from '../src/modules/ai/gateway.ts';
import { type Config, ConfigError } from '../src/platform/config.ts';
import { Metrics } from '../src/platform/metrics.ts';
import type { Platform } from '../src/platform/platform.ts';
import { type LlmTestServer, startLlmTestServer } from './fixtures/llm-server.ts';
import { startTestContext, type TestContext, testConfig } from './harness.ts';

let llm: LlmTestServer;
let ctx: TestContext;

function gatewayWith(overrides: Partial<Config['llm']>): LlmGateway {
  const platform: Platform = {
    ...ctx.platform,
    config: { ...ctx.platform.config, llm: { ...ctx.platform.config.llm, ...overrides } },
    metrics: new Metrics({ defaultMetrics: false }),
  };
  return new LlmGateway(platform);
}

const user = (content: string) => [{ role: 'user' as const, content }];

beforeAll(async () => {
  llm = await startLlmTestServer();
  ctx = await startTestContext({
    seedPatients: 0,
    env: { LLM_BASE_URL: llm.url, LLM_MODEL: 'test-model', LLM_TIMEOUT_MS: '2000', LLM_MAX_RETRIES: '2' },
  });
}, 60_000);

afterAll(async () => {
  await ctx?.close();
  await llm?.close();
});

beforeEach(() => {
  llm.requests.length = 0;
  llm.script.length = 0;
});

describe('LLM gateway', () => {
  it('completes a chat and records a trace with the prompt hash, tokens, latency and outcome', async () => {
    const result = await ctx.services.ai.gateway.chat({
      messages: user('Summarize the eligibility response'),
      feature: 'test.chat',
      practiceId: ctx.seed!.practiceId,
    });
    expect(result.content).toBe('Echo: Summarize the eligibility response');
    expect(result.usage).toEqual({ promptTokens: 42, completionTokens: 7 });
    expect(result.attempts).toBe(1);
    const trace = await ctx.platform.db
      .selectFrom('ai_interactions')
      .selectAll()
      .where('id', '=', result.traceId)
      .executeTakeFirstOrThrow();
    expect(trace).toMatchObject({
      feature: 'test.chat',
      model: 'test-model',
      provider: 'openai',
      prompt_tokens: 42,
      completion_tokens: 7,
      outcome: 'ok',
      streamed: false,
    });
    expect(trace.prompt_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(llm.requests[0]!.body).toMatchObject({ model: 'test-model', stream: false });

    const metrics = await ctx.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/intelluxe_llm_calls_total\{[^}]*outcome="ok"[^}]*\} 1/);
    expect(metrics.body).toContain('intelluxe_llm_tokens_total');
  });

  it('de-identifies text for a provider not marked local, and leaves it for a local one', async () => {
    const phi =
      'Patient John Smith, DOB 03/14/1961, SSN 123-45-6789, phone 617-555-0142, needs a prior auth letter.';
    const remote = gatewayWith({ local: false, phiMode: 'pseudonymize' });
    const r = await remote.chat({ messages: user(phi), feature: 'test.phi' });
    const sent = JSON.stringify(llm.requests.at(-1)!.body);
    expect(sent).not.toContain('John Smith');
    expect(sent).not.toContain('123-45-6789');
    expect(sent).not.toContain('617-555-0142');
    expect(r.phiRedactions).toBeGreaterThanOrEqual(3);

    const redact = gatewayWith({ local: false, phiMode: 'redact' });
    await redact.chat({ messages: user(phi), feature: 'test.phi' });
    expect(JSON.stringify(llm.requests.at(-1)!.body)).not.toContain('Smith');

    const local = await ctx.services.ai.gateway.chat({ messages: user(phi), feature: 'test.phi' });
    expect(JSON.stringify(llm.requests.at(-1)!.body)).toContain('John Smith');
    expect(local.phiRedactions).toBe(0);
  });

  it('retries 5xx and 429 with backoff, then succeeds', async () => {
    llm.script.push({ status: 503 }, { status: 429, headers: { 'retry-after': '0' } });
    const result = await ctx.services.ai.gateway.chat({ messages: user('retry me'), feature: 'test.retry' });
    expect(result.attempts).toBe(3);
    expect(llm.requests).toHaveLength(3);
  });

  it('does not retry a 400 and traces the error', async () => {
    llm.script.push({ status: 400 });
    const error = await ctx.services.ai.gateway
      .chat({ messages: user('bad'), feature: 'test.error' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).status).toBe(502);
    expect(llm.requests).toHaveLength(1);
    const trace = await ctx.platform.db
      .selectFrom('ai_interactions')
      .selectAll()
      .where('feature', '=', 'test.error')
      .executeTakeFirstOrThrow();
    expect(trace.outcome).toBe('error');
    expect(trace.error).toContain('HTTP 400');
  });

  it('times out a slow server and traces a timeout', async () => {
    const slow = gatewayWith({ timeoutMs: 150, maxRetries: 1 });
    llm.script.push({ delayMs: 600 }, { delayMs: 600 });
    const started = Date.now();
    const error = await slow
      .chat({ messages: user('slow'), feature: 'test.timeout' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).status).toBe(504);
    expect(Date.now() - started).toBeLessThan(3000);
    const trace = await ctx.platform.db
      .selectFrom('ai_interactions')
      .selectAll()
      .where('feature', '=', 'test.timeout')
      .executeTakeFirstOrThrow();
    expect(trace.outcome).toBe('timeout');
    expect(trace.attempts).toBe(2);
  });

  it('streams content deltas over SSE and returns the whole result with usage', async () => {
    const deltas: string[] = [];
    let done: ChatResult | null = null;
    for await (const event of ctx.services.ai.gateway.stream({
      messages: user('stream this answer please'),
      feature: 'test.stream',
    })) {
      if (event.type === 'delta') deltas.push(event.content);
      else done = event.result;
    }
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join('')).toBe('Echo: stream this answer please');
    expect(done!.content).toBe('Echo: stream this answer please');
    expect(done!.usage).toEqual({ promptTokens: 30, completionTokens: 12 });
    expect(llm.requests[0]!.body).toMatchObject({ stream: true });
  });

  it('lets a slow but steady stream run past the timeout, and times out a stalled one', async () => {
    const gateway = gatewayWith({ timeoutMs: 500, maxRetries: 0 });
    llm.script.push({ chunkDelayMs: 120 });
    let content = '';
    const started = Date.now();
    for await (const event of gateway.stream({
      messages: user('one two three four five six seven eight'),
      feature: 'test.stream.steady',
    })) {
      if (event.type === 'done') content = event.result.content;
    }
    expect(Date.now() - started).toBeGreaterThan(900);
    expect(content).toBe('Echo: one two three four five six seven eight');

    llm.script.push({ stallMs: 2000 });
    const stalled = async () => {
      for await (const _ of gateway.stream({
        messages: user('stall here please'),
        feature: 'test.stream.stall',
      })) {
        // drain
      }
    };
    const error = await stalled().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).status).toBe(504);
    const trace = await ctx.platform.db
      .selectFrom('ai_interactions')
      .select(['outcome', 'streamed'])
      .where('feature', '=', 'test.stream.stall')
      .executeTakeFirstOrThrow();
    expect(trace).toEqual({ outcome: 'timeout', streamed: true });
  });

  it('returns tool calls, streamed or not', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'check_eligibility',
          description: 'Check coverage',
          parameters: { type: 'object', properties: { payer: { type: 'string' } } },
        },
      },
    ];
    const r = await ctx.services.ai.gateway.chat({
      messages: user('is the patient covered?'),
      tools,
      feature: 'test.tools',
    });
    expect(r.finishReason).toBe('tool_calls');
    expect(r.toolCalls[0]!.function.name).toBe('check_eligibility');
    expect(JSON.parse(r.toolCalls[0]!.function.arguments)).toEqual({ payer: 'anthem', serviceType: '30' });
    expect(llm.requests[0]!.body!.tools).toEqual(tools);

    let streamed: ChatResult | null = null;
    for await (const event of ctx.services.ai.gateway.stream({
      messages: user('covered?'),
      tools,
      feature: 'test.tools',
    })) {
      if (event.type === 'done') streamed = event.result;
    }
    expect(streamed!.toolCalls).toHaveLength(1);
    expect(JSON.parse(streamed!.toolCalls[0]!.function.arguments)).toEqual({
      payer: 'anthem',
      serviceType: '30',
    });
  });

  it('parses and validates structured output (json_schema)', async () => {
    const schema = {
      type: 'object',
      required: ['summary', 'nextSteps'],
      properties: { summary: { type: 'string' }, nextSteps: { type: 'array', items: { type: 'string' } } },
    };
    const ok = await ctx.services.ai.gateway.chat({
      messages: user('summarize'),
      responseFormat: { type: 'json_schema', json_schema: { name: 'summary', schema, strict: true } },
      feature: 'test.json',
    });
    expect(ok.parsed).toEqual({ summary: 'Coverage active', nextSteps: ['Submit the claim'] });
    expect(llm.requests[0]!.body!.response_format).toMatchObject({ type: 'json_schema' });

    const bad = await ctx.services.ai.gateway
      .chat({
        messages: user('summarize'),
        responseFormat: { type: 'json_schema', json_schema: { name: 'broken', schema } },
        feature: 'test.json.bad',
      })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(LlmError);
    const trace = await ctx.platform.db
      .selectFrom('ai_interactions')
      .select('outcome')
      .where('feature', '=', 'test.json.bad')
      .executeTakeFirstOrThrow();
    expect(trace.outcome).toBe('invalid_output');
  });

  it('answers invalid JSON from the server with a clear error', async () => {
    llm.script.push({ raw: '{not json' });
    await expect(ctx.services.ai.gateway.chat({ messages: user('x'), feature: 'test.raw' })).rejects.toThrow(
      /invalid JSON/,
    );
  });

  it('speaks the Azure OpenAI deployment path with an api-key header', async () => {
    const azure = gatewayWith({ provider: 'azure', apiKey: 'azure-secret', model: 'gpt-4o-mini' });
    const base = llm.url.replace(/\/v1$/, '');
    const gateway = gatewayWith({
      provider: 'azure',
      apiKey: 'azure-secret',
      model: 'gpt-4o-mini',
      baseUrl: base,
    });
    expect(azure.status().provider).toBe('azure');
    await gateway.chat({ messages: user('hello'), feature: 'test.azure' });
    const request = llm.requests.at(-1)!;
    expect(request.url).toBe('/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21');
    expect(request.headers['api-key']).toBe('azure-secret');
    expect(request.headers.authorization).toBeUndefined();
  });

  it('refuses node-llama-cpp without a model file, and explains when the package is missing', async () => {
    expect(() => testConfig({ LLM_PROVIDER: 'node-llama-cpp' })).toThrow(ConfigError);
    expect(() => testConfig({ LLM_PROVIDER: 'node-llama-cpp' })).toThrow(/LLM_MODEL_PATH/);
    // node-llama-cpp is not a dependency of this repository: the configuration refuses the provider at start.
    expect(() =>
      testConfig({
        LLM_PROVIDER: 'node-llama-cpp',
        LLM_MODEL_PATH: '/models/llama-3.1-8b-instruct.Q4_K_M.gguf',
      }),
    ).toThrow(/LLM_PROVIDER: node-llama-cpp is an optional package that is not installed/);
    // Should the package vanish after start, calls answer 503 with the same advice.
    const local = gatewayWith({
      provider: 'node-llama-cpp',
      modelPath: '/models/llama-3.1-8b-instruct.Q4_K_M.gguf',
    });
    expect(local.configured).toBe(true);
    const error = await local.chat({ messages: user('hi'), feature: 'test.local' }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/node-llama-cpp is not installed/);
    expect((error as { status: number }).status).toBe(503);
  });

  it('parses SSE events split across chunks, with CRLF and multi-line data', async () => {
    const encoder = new TextEncoder();
    const parts = ['data: {"a":', '1}\r\n\r\ndata: line1\ndata: line2\n\n', ': comment\n\ndata: [DONE]\n\n'];
    const body = new ReadableStream({
      start(controller) {
        for (const p of parts) controller.enqueue(encoder.encode(p));
        controller.close();
      },
    });
    const events: string[] = [];
    for await (const e of sseEvents(new Response(body))) events.push(e);
    expect(events).toEqual(['{"a":1}', 'line1\nline2', '[DONE]']);
  });

  it('shows its configuration and the traces over HTTP', async () => {
    const admin = await ctx.bearer('admin');
    const status = await ctx.app.inject({
      method: 'GET',
      url: '/v1/ai/gateway',
      headers: { authorization: admin },
    });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ configured: true, model: 'test-model', local: true });
    expect(status.body).not.toContain('apiKey');
    await ctx.services.ai.gateway.chat({
      messages: user('trace me'),
      feature: 'test.http',
      practiceId: ctx.seed!.practiceId,
    });
    const list = await ctx.app.inject({
      method: 'GET',
      url: '/v1/ai/interactions?feature=test.http',
      headers: { authorization: admin },
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items[0]).toMatchObject({ feature: 'test.http', outcome: 'ok' });
    const physician = await ctx.bearer('physician');
    const denied = await ctx.app.inject({
      method: 'GET',
      url: '/v1/ai/interactions',
      headers: { authorization: physician },
    });
    expect(denied.statusCode).toBe(403);
  });
});

describe('without a model', () => {
  it('reports llm not configured and refuses calls with a clear 503', async () => {
    const bare = await startTestContext({ seedPatients: 0 });
    try {
      const health = await bare.app.inject({ method: 'GET', url: '/health' });
      expect(health.json().checks.llm.status).toBe('not configured');
      expect(bare.services.ai.gateway.configured).toBe(false);
      const error = await bare.services.ai.gateway
        .chat({ messages: user('x'), feature: 'test' })
        .catch((e: unknown) => e);
      expect((error as { status: number }).status).toBe(503);
    } finally {
      await bare.close();
    }
  }, 60_000);
});
