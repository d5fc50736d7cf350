/**
 * The emulator's history file (issue 17 item 9): the chats, files and group places written after each change and
 * read back by the next emulator on the same file; a file that is not one of ours, or another app's, is ignored.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmuState } from '../../src/emulator/state.js';
import type { EmuMessage } from '../../src/emulator/types.js';

const seed = {
  users: [{ open_id: 'ou_a', name: '甲', department: '东丰县商务局', job_title: '干部', roles: '项目责任人' }],
  chats: [{ chat_id: 'oc_g', name: '群', members: ['ou_a'], botIn: false }],
};

function message(id: string, text: string): EmuMessage {
  return {
    message_id: id,
    chat_id: 'oc_g',
    chat_type: 'group',
    sender: { type: 'app', id: 'ou_bot' },
    msg_type: 'text',
    content: { text },
    raw: JSON.stringify({ text }),
    created_at: 1,
    updated_at: 1,
    update_count: 0,
    updates: [],
  };
}

describe('the emulator keeps its history in a file', () => {
  const dirs: string[] = [];
  const file = () => {
    const d = mkdtempSync(join(tmpdir(), 'emu-hist-'));
    dirs.push(d);
    return join(d, 'sub', 'pglite-emulator.json');
  };
  const fileIn = () => {
    const f = file();
    mkdirSync(join(f, '..'), { recursive: true });
    return f;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('works: messages, files, notices, uuids and the bot’s place in a group come back in a new emulator', () => {
    const f = file();
    const a = new EmuState(seed, 'tenant-1', f);
    a.messages.push(message('om_1', '你好'));
    a.files.set('file_v3_x', {
      key: 'file_v3_x',
      kind: 'file',
      name: '台账.xlsx',
      type: 'application/x',
      bytes: new Uint8Array([80, 75, 3]),
      at: 1,
    });
    a.notices.push({ chat_id: 'oc_g', text: '甲 将 机器人 添加到群聊', at: 2 });
    a.uuids.set('u-1', { messageId: 'om_1', at: 1 });
    a.chat('oc_g')!.botIn = true;
    a.touch();
    a.flush();

    const b = new EmuState(seed, 'tenant-1', f);
    expect(b.messages.map((m) => m.message_id)).toEqual(['om_1']);
    expect(b.message('om_1')!.content).toEqual({ text: '你好' });
    expect(b.files.get('file_v3_x')!.name).toBe('台账.xlsx');
    expect([...b.files.get('file_v3_x')!.bytes]).toEqual([80, 75, 3]);
    expect(b.notices).toHaveLength(1);
    expect(b.uuids.get('u-1')!.messageId).toBe('om_1');
    expect(b.chat('oc_g')!.botIn).toBe(true);
    // The directory comes from the seed, not the file.
    expect(b.users.get('ou_a')!.job_title).toBe('干部');

    // 重置 empties the file too.
    b.reset();
    b.flush();
    expect(new EmuState(seed, 'tenant-1', f).messages).toEqual([]);
  });

  it('without a file nothing is written and every emulator starts empty (the tests’ default)', () => {
    const a = new EmuState(seed, 'tenant-1');
    a.messages.push(message('om_1', 'x'));
    a.touch();
    a.flush();
    expect(new EmuState(seed, 'tenant-1').messages).toEqual([]);
  });

  it('refused: a file of another app (tenant), of another format, or not JSON is ignored and left to be overwritten', () => {
    const f = file();
    const a = new EmuState(seed, 'tenant-1', f);
    a.messages.push(message('om_1', 'x'));
    a.flush();
    expect(new EmuState(seed, 'tenant-2', f).messages).toEqual([]);

    writeFileSync(f, JSON.stringify({ ...JSON.parse(readFileSync(f, 'utf8')), version: 99 }));
    expect(new EmuState(seed, 'tenant-1', f).messages).toEqual([]);
    writeFileSync(f, '{"version":1,"tenantKey":"tenant-1","messages":');
    expect(new EmuState(seed, 'tenant-1', f).messages).toEqual([]);
  });

  it('attacked: a hand-edited file cannot add people or groups, nor put the bot in a group the directory lacks', () => {
    const f = fileIn();
    writeFileSync(
      f,
      JSON.stringify({
        version: 1,
        tenantKey: 'tenant-1',
        messages: [],
        notices: [],
        files: [],
        uuids: [],
        botIn: { oc_other: true, oc_g: 'yes' },
        users: [{ open_id: 'ou_evil', name: '坏人' }],
      }),
    );
    const s = new EmuState(seed, 'tenant-1', f);
    expect(s.users.has('ou_evil')).toBe(false);
    expect(s.chat('oc_other')).toBeUndefined();
    // only a real true puts the bot in
    expect(s.chat('oc_g')!.botIn).toBe(false);
  });
});
