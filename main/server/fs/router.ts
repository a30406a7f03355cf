// The /api/fs routes (contract section 3): query validation at the edge, then files.ts.
// Mounted behind the owner-only check; share tokens never reach it.
import { Router, type Request, type Response, type NextFunction } from 'express';
import { z } from 'zod';
import { PortholeError } from '../../../common/errors.js';
import { isDrivesPath } from '../platform/paths.js';
import { driveListing } from './drives.js';
import { absolutePath, makeDir, openFile, uploadFile, DEFAULT_UPLOAD_MAX_BYTES } from './files.js';
import { streamListing } from './listing.js';

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');
const ListQuery = z.strictObject({ path: z.string().max(4096).optional() });
const MkdirQuery = z.strictObject({ path: z.string().min(1).max(4096) });
const FileQuery = z.strictObject({ path: z.string().min(1).max(4096), download: flag.optional() });
const UploadQuery = z.strictObject({
  dir: z.string().min(1).max(4096),
  name: z.string().min(1).max(255),
  overwrite: flag.optional(),
});

function parseQuery<T extends z.ZodType>(schema: T, req: Request): z.infer<T> {
  const result = schema.safeParse(req.query);
  if (!result.success) {
    throw new PortholeError('validation_failed', z.prettifyError(result.error), result.error.issues);
  }
  return result.data;
}

/** RFC 6266 filename with an ASCII fallback, so any name survives the header. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export interface FsRouterOptions {
  uploadMaxBytes?: number;
}

export function fsRouter(opts: FsRouterOptions = {}): Router {
  const maxBytes = opts.uploadMaxBytes ?? DEFAULT_UPLOAD_MAX_BYTES;
  const router = Router();

  router.get('/', async (req: Request, res: Response) => {
    const q = parseQuery(ListQuery, req);
    if (isDrivesPath(process.platform, q.path)) {
      res.setHeader('Cache-Control', 'no-store');
      res.json({ ...(await driveListing()), uploadMaxBytes: maxBytes }); // Windows: the drives
      return;
    }
    // Streamed in batches (listing.ts); `uploadMaxBytes` lets a client refuse a file that is
    // too big before sending it (docs/api.md).
    await streamListing(absolutePath(q.path), res, { uploadMaxBytes: maxBytes }, () => {
      res.status(200).setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
    });
  });

  router.post('/mkdir', async (req: Request, res: Response) => {
    const q = parseQuery(MkdirQuery, req);
    res.status(201).json(await makeDir(absolutePath(q.path)));
  });

  router.get('/file', async (req: Request, res: Response, next: NextFunction) => {
    const q = parseQuery(FileQuery, req);
    const file = await openFile(absolutePath(q.path));
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Length', String(file.size));
    // Served bytes are data, never a page of ours: no sniffing, no scripts.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    if (q.download) res.setHeader('Content-Disposition', contentDisposition(file.name));
    file.stream.on('error', (err) => {
      file.stream.destroy();
      if (!res.headersSent) next(err);
      else res.destroy(err);
    });
    res.on('close', () => file.stream.destroy());
    file.stream.pipe(res);
  });

  router.post('/upload', async (req: Request, res: Response) => {
    const q = parseQuery(UploadQuery, req);
    const length = req.headers['content-length'];
    const declared = length === undefined ? undefined : Number(length);
    if (declared !== undefined && declared > maxBytes) throw new PortholeError('payload_too_large', `Uploads are limited to ${maxBytes} bytes`);
    const result = await uploadFile(absolutePath(q.dir), q.name, req, {
      overwrite: q.overwrite ?? false,
      maxBytes,
      expectedBytes: declared !== undefined && Number.isSafeInteger(declared) ? declared : undefined,
    });
    res.status(201).json(result);
  });

  return router;
}
