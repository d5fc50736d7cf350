/** Chats the bot is in, one chat's details, and its members. */
import type { Context, Hono } from 'hono';
import { ApiError, page, type Kit } from './kit.js';

export function registerChats(app: Hono, { d, ok, handle }: Kit): void {
  function groupFor(c: Context) {
    const id = c.req.param('chat_id')!;
    const chat = d.state.chat(id);
    if (!chat) throw new ApiError(400, 232011, `Operator and chat can NOT be in different tenants, or chat not found: ${id}`);
    if (!chat.botIn) throw new ApiError(400, 232011, 'The bot is not in the chat.');
    return chat;
  }

  app.get(
    '/open-apis/im/v1/chats',
    handle((c) => {
      const all = [...d.state.chats.values()].filter((x) => x.botIn);
      const { items, page_token, has_more } = page(all, c.req.query('page_size'), c.req.query('page_token'), 100);
      return ok(c, {
        items: items.map((x) => ({
          chat_id: x.chat.chat_id,
          name: x.chat.name,
          avatar: '',
          description: '',
          owner_id: x.chat.members[0] ?? '',
          owner_id_type: 'open_id',
          external: false,
          tenant_key: d.state.tenantKey,
          chat_status: 'normal',
        })),
        page_token,
        has_more,
      });
    }),
  );

  app.get(
    '/open-apis/im/v1/chats/:chat_id',
    handle((c) => {
      const { chat } = groupFor(c);
      return ok(c, {
        avatar: '',
        name: chat.name,
        description: '',
        i18n_names: { zh_cn: chat.name },
        add_member_permission: 'all_members',
        share_card_permission: 'allowed',
        at_all_permission: 'all_members',
        edit_permission: 'all_members',
        owner_id_type: 'open_id',
        owner_id: chat.members[0] ?? '',
        user_manager_id_list: [],
        bot_manager_id_list: [],
        chat_mode: 'group',
        chat_type: 'private',
        chat_tag: 'inner',
        join_message_visibility: 'all_members',
        leave_message_visibility: 'all_members',
        membership_approval: 'no_approval_required',
        moderation_permission: 'all_members',
        external: false,
        tenant_key: d.state.tenantKey,
        user_count: String(chat.members.length),
        bot_count: '1',
      });
    }),
  );

  app.get(
    '/open-apis/im/v1/chats/:chat_id/members',
    handle((c) => {
      const { chat } = groupFor(c);
      const idType = c.req.query('member_id_type') ?? 'open_id';
      if (!['open_id', 'user_id', 'union_id'].includes(idType)) {
        throw new ApiError(400, 99992402, 'field validation failed: member_id_type');
      }
      const people = chat.members.map((id) => d.state.users.get(id)).filter((u) => u !== undefined);
      const { items, page_token, has_more } = page(people, c.req.query('page_size'), c.req.query('page_token'), 100);
      return ok(c, {
        items: items.map((u) => ({
          member_id_type: idType,
          member_id: d.state.userIds(u)[idType as 'open_id'],
          name: u.name,
          tenant_key: d.state.tenantKey,
        })),
        page_token,
        has_more,
        member_total: people.length,
      });
    }),
  );
}
