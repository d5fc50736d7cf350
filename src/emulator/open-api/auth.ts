/** Tokens (tenant and app access tokens, as Lark issues them) and the bot's own info. */
import type { Context, Hono } from 'hono';
import { hex } from '../state.js';
import { ApiError, type Kit } from './kit.js';

export function registerAuth(app: Hono, { d, note, handle, jsonBody }: Kit): void {
  const issue = (c: Context, kind: 'tenant' | 'app') =>
    handle(async () => {
      const body = await jsonBody(c);
      if (body['app_id'] !== d.appId) throw new ApiError(400, 10003, 'invalid param: app_id');
      if (body['app_secret'] !== d.appSecret) throw new ApiError(400, 10014, 'app secret invalid');
      d.state.tokenFetches++;
      const now = d.now();
      // Like Lark: a token with more than 30 minutes left is handed out again, with its remaining lifetime.
      let token: string | undefined;
      let expiresAt = 0;
      for (const [t, exp] of d.state.tokens) {
        if (exp - now > 30 * 60_000 && exp > expiresAt) {
          token = t;
          expiresAt = exp;
        }
      }
      if (!token) {
        token = `t-${hex(20)}`;
        expiresAt = now + d.tokenTtlSeconds * 1000;
        d.state.tokens.set(token, expiresAt);
      }
      const expire = Math.floor((expiresAt - now) / 1000);
      note(c).code = 0;
      if (kind === 'tenant') return c.json({ code: 0, msg: 'ok', tenant_access_token: token, expire });
      return c.json({ code: 0, msg: 'ok', app_access_token: `a-${token.slice(2)}`, tenant_access_token: token, expire });
    })(c);
  app.post('/open-apis/auth/v3/tenant_access_token/internal', (c) => issue(c, 'tenant'));
  app.post('/open-apis/auth/v3/app_access_token/internal', (c) => issue(c, 'app'));

  // ---- bot ----
  app.get('/open-apis/bot/v3/info', (c) => {
    note(c).code = 0;
    return c.json({
      code: 0,
      msg: 'ok',
      bot: { activate_status: 2, app_name: d.botName, avatar_url: '', ip_white_list: [], open_id: d.botOpenId },
    });
  });
}
