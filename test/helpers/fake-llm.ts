/*
 * A fake OpenAI-compatible endpoint for tests (not the Lark emulator, which speaks only Lark's protocol): a tiny
 * node:http server answering POST /chat/completions with whatever the test says, recording every request.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeLlmRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: { model?: string; messages?: { role: string; content: string }[] } & Record<string, unknown>;
}

/** What the fake answers: the assistant's content (a string), or a raw status and body, or a delay first. */
export type FakeLlmReply = string | { status: number; body: string } | { delayMs: number; content: string };

export interface FakeLlm {
  /** Base URL to put in LLM_BASE_URL (…/v1). */
  baseUrl: string;
  requests: FakeLlmRequest[];
  /** Sets the answer for the next requests, as a function of the request. */
  answer(fn: (req: FakeLlmRequest) => FakeLlmReply): void;
  close(): Promise<void>;
}

export async function startFakeLlm(): Promise<FakeLlm> {
  const requests: FakeLlmRequest[] = [];
  let reply: (req: FakeLlmRequest) => FakeLlmReply = () => '{"projects":[]}';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: FakeLlmRequest['body'] = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FakeLlmRequest['body'];
      } catch {
        // a malformed request is recorded with an empty body
      }
      const request: FakeLlmRequest = { path: req.url ?? '', headers: req.headers, body };
      requests.push(request);
      if (req.method !== 'POST' || request.path !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      const r = reply(request);
      const send = (content: string) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: 'chatcmpl-fake',
            object: 'chat.completion',
            model: body.model,
            choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
          }),
        );
      if (typeof r === 'string') send(r);
      else if ('status' in r) res.writeHead(r.status, { 'content-type': 'application/json' }).end(r.body);
      else setTimeout(() => send(r.content), r.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    answer(fn) {
      reply = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
