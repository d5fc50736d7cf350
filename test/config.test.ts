import { describe, expect, it } from 'vitest';
import { ConfigError, EMULATOR_CREDENTIALS, loadConfig } from '../src/config.js';
import { parseCommand } from '../src/bot/parse.js';
import { normalizeText } from '../src/domain/text.js';

describe('configuration from the environment', () => {
  it('runs the emulator on embedded storage with no configuration at all', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ databaseUrl: './data/pglite', port: 3000, timeZone: 'Asia/Shanghai', seedDemo: 'auto', scheduler: true });
    expect(c.lark).toMatchObject({ mode: 'emulator', appId: EMULATOR_CREDENTIALS.appId });
  });

  it('defaults to the long connection once an app is configured', () => {
    const c = loadConfig({ LARK_APP_ID: 'cli_x', LARK_APP_SECRET: 's', DATABASE_URL: 'postgres://u@h/db' });
    expect(c.lark).toMatchObject({ mode: 'ws', appId: 'cli_x', domain: 'https://open.feishu.cn' });
    expect(c.databaseUrl).toBe('postgres://u@h/db');
  });

  it('runs the emulator over the long connection with LARK_MODE=ws and no app', () => {
    const c = loadConfig({ LARK_MODE: 'ws' });
    expect(c.lark).toMatchObject({
      mode: 'ws',
      emulated: true,
      appId: EMULATOR_CREDENTIALS.appId,
      appSecret: EMULATOR_CREDENTIALS.appSecret,
    });
    expect(loadConfig({}).lark.emulated).toBe(true);
    expect(loadConfig({ LARK_APP_ID: 'cli_x', LARK_APP_SECRET: 's' }).lark.emulated).toBe(false);
    // the SDK's WSClient starts only for an app id of Lark's form
    expect(EMULATOR_CREDENTIALS.appId).toMatch(/^cli_[0-9a-fA-F]{16}$/);
  });

  it.each([
    [{ PORT: 'eighty' }, /^invalid configuration: PORT: /],
    [{ PORT: '70000' }, /PORT/],
    [{ BOT_TIMEZONE: 'Mars/Olympus' }, /BOT_TIMEZONE: is not an IANA time zone/],
    [{ LARK_MODE: 'carrier-pigeon' }, /LARK_MODE/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL: must be postgres/],
    [{ LARK_DOMAIN: 'not a url' }, /LARK_DOMAIN/],
    [{ LARK_MODE: 'ws', LARK_APP_ID: 'cli_x' }, /LARK_APP_ID: LARK_MODE=ws needs LARK_APP_ID and LARK_APP_SECRET/],
    [{ LARK_MODE: 'ws', LARK_APP_SECRET: 's' }, /LARK_APP_ID: LARK_MODE=ws needs LARK_APP_ID and LARK_APP_SECRET/],
    [{ LARK_MODE: 'webhook', LARK_APP_ID: 'a', LARK_APP_SECRET: 'b' }, /webhook mode refuses to start without LARK_ENCRYPT_KEY/],
    [{ WEB_CONCURRENCY: 'two' }, /WEB_CONCURRENCY/],
    [{ WEB_CONCURRENCY: '0' }, /WEB_CONCURRENCY/],
    [{ WEB_CONCURRENCY: '65', DATABASE_URL: 'postgres://u@h/db', LARK_APP_ID: 'cli_x', LARK_APP_SECRET: 's' }, /WEB_CONCURRENCY/],
    [
      { WEB_CONCURRENCY: '2', LARK_APP_ID: 'cli_x', LARK_APP_SECRET: 's' },
      /WEB_CONCURRENCY: several processes need a postgres:\/\/ DATABASE_URL/,
    ],
    [{ WEB_CONCURRENCY: '2', DATABASE_URL: 'postgres://u@h/db' }, /WEB_CONCURRENCY: several processes need a real Lark app/],
    [
      { WEB_CONCURRENCY: '2', DATABASE_URL: 'postgres://u@h/db', LARK_MODE: 'ws' },
      /WEB_CONCURRENCY: several processes need a real Lark app/,
    ],
  ])('refuses %j with one line naming the variable', (env, message) => {
    let err: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });

  it('runs one process unless WEB_CONCURRENCY asks for a cluster on PostgreSQL with a real app', () => {
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig({ WEB_CONCURRENCY: '' }).workers).toBe(1);
    const c = loadConfig({ WEB_CONCURRENCY: '2', DATABASE_URL: 'postgres://u@h/db', LARK_APP_ID: 'cli_x', LARK_APP_SECRET: 's' });
    expect(c.workers).toBe(2);
    expect(c.scheduler).toBe(true);
  });

  it('never echoes a secret in its message', () => {
    try {
      loadConfig({ LARK_MODE: 'webhook', LARK_APP_ID: 'a', LARK_APP_SECRET: 'top-secret-value', PORT: 'x' });
    } catch (e) {
      expect((e as Error).message).not.toContain('top-secret-value');
    }
  });
});

describe('commands as people type them', () => {
  it.each([
    ['帮助', { name: 'help' }],
    ['/HELP', { name: 'help' }],
    ['／ｈｅｌｐ', { name: 'help' }],
    ['我的项目', { name: 'mine' }],
    ['填报 风电项目', { name: 'report', project: '风电项目' }],
    ['填报风电项目', { name: 'report', project: '风电项目' }],
    ['/report  LY2026-001 ', { name: 'report', project: 'LY2026-001' }],
    ['推进 200MW 风电项目 签约', { name: 'move', project: '200MW 风电项目', stage: '签约' }],
    ['推进　风电，签约', { name: 'move', project: '风电', stage: '签约' }],
    ['/move 风电', { name: 'move', project: '风电', stage: '' }],
    ['新建项目', { name: 'new' }],
    ['/status 东丰县', { name: 'status', target: '东丰县' }],
    ['进展', { name: 'status', target: '' }],
    ['/bind 单位 东丰县', { name: 'bind', kind: 'unit', target: '东丰县' }],
    ['/bind 项目中心', { name: 'bind', kind: 'centre', target: '' }],
    ['/bind 产业链 新能源', { name: 'bind', kind: 'chain', target: '新能源' }],
    ['/unbind', { name: 'unbind' }],
    ['请假 张伟 12月10日', { name: 'away', kind: 'leave', args: '张伟 12月10日' }],
    ['出差张伟 下周三', { name: 'away', kind: 'trip', args: '张伟 下周三' }],
    ['销假', { name: 'back', args: '' }],
    ['销假 郑浩', { name: 'back', args: '郑浩' }],
    ['交接 郑浩 冯雪 风电', { name: 'handover', args: '郑浩 冯雪 风电' }],
    ['新能源链这个月怎么样', { name: 'query', text: '新能源链这个月怎么样' }],
    // A colon, full-width or not, separates as a space does.
    ['填报：梅花鹿精深加工', { name: 'report', project: '梅花鹿精深加工' }],
    ['状态: 东丰县', { name: 'status', target: '东丰县' }],
    ['推进：风电 签约', { name: 'move', project: '风电', stage: '签约' }],
    // Greetings and thanks are answered, not "not understood".
    ['你好', { name: 'greeting', kind: 'hello' }],
    ['在吗？', { name: 'greeting', kind: 'hello' }],
    ['谢谢！', { name: 'greeting', kind: 'thanks' }],
    ['收到，辛苦了', { name: 'greeting', kind: 'thanks' }],
    ['你好，东丰县怎么样', { name: 'query', text: '你好 东丰县怎么样' }],
    // A command word one keystroke off gets a suggestion.
    ['我得项目', { name: 'query', text: '我得项目', suggest: '我的项目' }],
    ['填保 风电', { name: 'query', text: '填保 风电', suggest: '填报' }],
    ['状况', { name: 'query', text: '状况' }],
  ])('%s', (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });

  it('folds full-width punctuation and spaces', () => {
    expect(normalizeText('  推进　ＬＹ２０２６－００１，　签约 ')).toBe('推进 LY2026-001 签约');
  });
});

describe('the language-model reader (LLM_*)', () => {
  it('is off by default', () => {
    expect(loadConfig({}).llm).toBeUndefined();
  });

  it('is on with a base URL and a model; the key is optional; a trailing slash is dropped', () => {
    expect(loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:9/v1/', LLM_MODEL: 'm', LLM_API_KEY: 'k' }).llm).toEqual({
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'm',
      apiKey: 'k',
    });
    expect(loadConfig({ LLM_BASE_URL: 'https://llm.example/v1', LLM_MODEL: 'm' }).llm).toEqual({
      baseUrl: 'https://llm.example/v1',
      model: 'm',
    });
  });

  it.each([
    [{ LLM_BASE_URL: 'https://llm.example/v1' }, /LLM_MODEL/],
    [{ LLM_MODEL: 'm' }, /LLM_BASE_URL/],
    [{ LLM_API_KEY: 'secret-key' }, /LLM_BASE_URL/],
    [{ LLM_BASE_URL: 'not a url', LLM_MODEL: 'm' }, /LLM_BASE_URL/],
    [{ LLM_BASE_URL: 'ftp://llm.example', LLM_MODEL: 'm' }, /LLM_BASE_URL/],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
    try {
      loadConfig(env);
    } catch (err) {
      expect(String(err)).not.toContain('secret-key');
    }
  });
});
