import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { onPostgres, useTestDb } from '../helpers/db.js';
import { xlsx, PROJECT_HEADER } from './fixture.js';

function run(script: string, args: string[], databaseUrl: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

describe('npm run import / npm run export', () => {
  // On PostgreSQL the commands use this file's database; on PGlite a folder (an in-memory database dies with the process).
  const t = useTestDb({ truncate: false });

  it('writes the template, imports it, refuses a bad file with exit status 1, and exports', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
    try {
      const url = onPostgres ? t.url : join(dir, 'pglite');
      const template = join(dir, 'template.xlsx');
      const made = await run('src/cli/import.ts', ['--', '--template', template], url);
      expect(made).toMatchObject({ code: 0 });
      expect(made.out).toContain('已生成导入模板');
      expect(existsSync(template)).toBe(true);

      const imported = await run('src/cli/import.ts', ['--', template], url);
      expect(imported.err).toBe('');
      expect(imported.code).toBe(0);
      expect(imported.out).toContain('项目：新增 8，修改 0，不变 0');
      expect(imported.out).toContain('导入完成：新增 43 条，修改 0 条，0 条未变。');

      const bad = join(dir, 'bad.xlsx');
      writeFileSync(
        bad,
        await xlsx({
          项目: [
            PROJECT_HEADER,
            ['X-1', '坏项目', null, null, null, '快签了', 'LY-DF', 'LY-DF', null, '五千万', null, null, null, null, null, null],
          ],
        }),
      );
      const refused = await run('src/cli/import.ts', ['--', bad], url);
      expect(refused.code).toBe(1);
      expect(refused.out).toContain('发现 2 个问题，本次不会导入任何数据');
      expect(refused.out).toContain('「项目」第2行 项目阶段“快签了”');
      expect(refused.out).toContain('「项目」第2行 计划总投资“五千万”：请用阿拉伯数字填写金额');

      const missing = await run('src/cli/import.ts', ['--', join(dir, 'nope.xlsx')], url);
      expect(missing.code).toBe(2);
      expect(missing.err).toContain('找不到文件');

      const out = join(dir, 'five.xlsx');
      const exported = await run('src/cli/export.ts', ['--', out, '--scope', 'LY-DF'], url);
      expect(exported).toMatchObject({ code: 0 });
      expect(exported.out).toContain('已导出 3 个项目');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(out);
      // The five databases, then the import's own sheets for what is not one row per project (issue 16).
      expect(wb.worksheets.map((w) => w.name)).toEqual([
        '谋划库',
        '洽谈库',
        '意向库',
        '签约库',
        '落地库',
        '终止及转移',
        '到位资金',
        '外部单位',
        '项目评估',
        '困难问题',
      ]);
      expect(wb.getWorksheet('签约库')!.rowCount).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
