/** Contacts: people by mobile or email, and one person. */
import type { Hono } from 'hono';
import { ApiError, type Json, type Kit } from './kit.js';

export function registerContact(app: Hono, { d, ok, handle, jsonBody }: Kit): void {
  app.post(
    '/open-apis/contact/v3/users/batch_get_id',
    handle(async (c) => {
      const idType = c.req.query('user_id_type') ?? 'open_id';
      if (!['open_id', 'user_id', 'union_id'].includes(idType)) throw new ApiError(400, 99992402, 'field validation failed: user_id_type');
      const body = await jsonBody(c);
      const mobiles = Array.isArray(body['mobiles']) ? (body['mobiles'] as unknown[]).map(String) : [];
      const emails = Array.isArray(body['emails']) ? (body['emails'] as unknown[]).map(String) : [];
      if (mobiles.length > 50 || emails.length > 50)
        throw new ApiError(400, 99992402, 'field validation failed: at most 50 mobiles and 50 emails');
      const status = { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false };
      const user_list: Json[] = [];
      for (const mobile of mobiles) {
        const u = d.state.findByMobile(mobile);
        user_list.push(u ? { user_id: d.state.userIds(u)[idType as 'open_id'], mobile, status } : { mobile });
      }
      for (const email of emails) {
        const u = d.state.findUser('email', email);
        user_list.push(u ? { user_id: d.state.userIds(u)[idType as 'open_id'], email, status } : { email });
      }
      return ok(c, { user_list });
    }),
  );

  app.get(
    '/open-apis/contact/v3/users/:user_id',
    handle((c) => {
      const idType = c.req.query('user_id_type') ?? 'open_id';
      const u = d.state.findUser(idType, c.req.param('user_id')!);
      if (!u) throw new ApiError(400, 41050, 'no user authority error');
      const ids = d.state.userIds(u);
      const user: Json = {
        ...ids,
        name: u.name,
        en_name: '',
        status: { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false },
      };
      if (u.mobile) user['mobile'] = u.mobile;
      if (u.email) user['email'] = u.email;
      if (u.job_title) user['job_title'] = u.job_title;
      return ok(c, { user });
    }),
  );
}
