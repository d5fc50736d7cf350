/** Files and images: upload (multipart, as the SDK sends them) and download. */
import type { Context, Hono } from 'hono';
import { parseMultipart, type Part } from '../multipart.js';
import { hex } from '../state.js';
import { ApiError, type Kit } from './kit.js';

const FILE_LIMIT = 30 * 1024 * 1024;

export function registerFiles(app: Hono, { d, ok, handle, download }: Kit): void {
  async function formFile(c: Context, field: string): Promise<{ fields: Record<string, string>; file: Part }> {
    let parts: Part[];
    try {
      parts = parseMultipart(c.req.header('content-type') ?? '', new Uint8Array(await c.req.arrayBuffer()));
    } catch {
      throw new ApiError(400, 9499, 'Bad Request: expected multipart/form-data');
    }
    const fields: Record<string, string> = {};
    for (const p of parts) if (p.name !== field) fields[p.name] = new TextDecoder().decode(p.data);
    const file = parts.find((p) => p.name === field);
    if (!file) throw new ApiError(400, 99992402, `field validation failed: ${field} is required`);
    if (file.data.length === 0) throw new ApiError(400, 234010, 'File size can not be 0.');
    if (file.data.length > FILE_LIMIT) throw new ApiError(400, 234006, 'The file size exceeds the limit.');
    return { fields, file };
  }

  app.post(
    '/open-apis/im/v1/files',
    handle(async (c) => {
      const { fields, file } = await formFile(c, 'file');
      const fileType = fields['file_type'] ?? '';
      if (!['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream'].includes(fileType)) {
        throw new ApiError(400, 99992402, 'field validation failed: file_type must be opus, mp4, pdf, doc, xls, ppt or stream');
      }
      const name = fields['file_name'] || file.filename || 'file';
      const key = `file_v3_${hex(12)}`;
      d.state.files.set(key, {
        key,
        kind: 'file',
        name,
        type: file.contentType ?? 'application/octet-stream',
        bytes: file.data,
        at: d.now(),
      });
      return ok(c, { file_key: key });
    }),
  );

  app.get(
    '/open-apis/im/v1/files/:file_key',
    handle((c) => {
      const f = d.state.files.get(c.req.param('file_key')!);
      if (!f || f.kind !== 'file') throw new ApiError(400, 234003, 'File not found.');
      return download(c, f);
    }),
  );

  app.post(
    '/open-apis/im/v1/images',
    handle(async (c) => {
      const { fields, file } = await formFile(c, 'image');
      const imageType = fields['image_type'] ?? '';
      if (imageType !== 'message' && imageType !== 'avatar') {
        throw new ApiError(400, 99992402, 'field validation failed: image_type must be message or avatar');
      }
      const key = `img_v3_${hex(12)}`;
      d.state.files.set(key, {
        key,
        kind: 'image',
        name: file.filename ?? 'image',
        type: file.contentType && file.contentType !== 'application/octet-stream' ? file.contentType : 'image/png',
        bytes: file.data,
        at: d.now(),
      });
      return ok(c, { image_key: key });
    }),
  );

  app.get(
    '/open-apis/im/v1/images/:image_key',
    handle((c) => {
      const f = d.state.files.get(c.req.param('image_key')!);
      if (!f || f.kind !== 'image') throw new ApiError(400, 234003, 'Image not found.');
      return download(c, f);
    }),
  );
}
