/**
 * The fake Open API: the endpoints the bot calls, with Lark's request and response shapes
 * (`{code, msg, data}`, `code: 0` on success, `Authorization: Bearer <tenant_access_token>`).
 * One gateway (faults, token check, call log) in front of the resources, each registered from its own file.
 */
import type { Hono } from 'hono';
import { registerAuth } from './auth.js';
import { registerChats } from './chats.js';
import { registerContact } from './contact.js';
import { registerFiles } from './files.js';
import { ApiError, createKit, type OpenApiDeps } from './kit.js';
import { registerMessages } from './messages.js';

export { ApiError, type OpenApiDeps } from './kit.js';
export { applyCardUpdate } from './messages.js';

export function registerOpenApi(app: Hono, d: OpenApiDeps): void {
  const kit = createKit(d);
  const { note, record, throttled } = kit;

  // ---- gateway: faults, auth, call log ----
  app.use('/open-apis/*', async (c, next) => {
    const n = note(c);
    n.at = d.now();
    const path = c.req.path;
    const fault = d.faults.take(path);
    if (fault) {
      n.code = fault.code;
      record(c, fault.status, n);
      return throttled(fault);
    }
    if (!path.startsWith('/open-apis/auth/')) {
      const denied = checkToken(c.req.header('authorization'));
      if (denied) {
        n.code = denied.code;
        record(c, denied.status, n);
        return c.json({ code: denied.code, msg: denied.msg }, denied.status as 400);
      }
    }
    await next();
    record(c, c.res.status, n);
  });

  function checkToken(header: string | undefined): ApiError | undefined {
    const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!m) {
      return new ApiError(400, 99991661, 'Missing access token for authorization. Please make a request with token attached.');
    }
    const expires = d.state.tokens.get(m[1]!);
    if (expires === undefined || expires <= d.now()) {
      return new ApiError(400, 99991663, 'Invalid access token for authorization. Please make a request with token attached.');
    }
    return undefined;
  }

  registerAuth(app, kit);
  registerMessages(app, kit);
  registerFiles(app, kit);
  registerChats(app, kit);
  registerContact(app, kit);

  // anything else under /open-apis is not emulated: say so loudly
  app.all('/open-apis/*', (c) => {
    d.warnings.push(`not emulated: ${c.req.method} ${c.req.path}`);
    note(c).code = 404;
    return c.json({ code: 404, msg: `404 page not found (not emulated: ${c.req.method} ${c.req.path})` }, 404);
  });
}
