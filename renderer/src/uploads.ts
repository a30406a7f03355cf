// Why: uploads need progress and Cancel, which fetch() cannot give for a request body, so each
// file goes up through one XMLHttpRequest (POST /api/fs/upload, the raw bytes as the body).
// Aborting the request makes the server drop its temp file (docs/api.md, Uploads). The token
// rides in the Authorization header, as everywhere: never in the URL.
import { ApiError } from './api.js';

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadHandle {
  /** Resolves with the saved path; rejects with ApiError (code `aborted` after cancel()). */
  done: Promise<{ path: string; size: number }>;
  cancel(): void;
}

function errorFrom(xhr: XMLHttpRequest): ApiError {
  try {
    const body = JSON.parse(xhr.responseText) as { error?: { code?: unknown; message?: unknown } };
    if (body.error && typeof body.error.code === 'string' && typeof body.error.message === 'string') {
      return new ApiError(xhr.status, body.error.code, body.error.message);
    }
  } catch {
    /* not JSON */
  }
  return new ApiError(xhr.status, `http_${xhr.status}`, xhr.statusText || `HTTP ${xhr.status}`);
}

export function uploadUrl(dir: string, name: string, overwrite: boolean): string {
  return `/api/fs/upload?dir=${encodeURIComponent(dir)}&name=${encodeURIComponent(name)}${overwrite ? '&overwrite=1' : ''}`;
}

export function startUpload(
  file: Blob,
  dir: string,
  name: string,
  opts: { overwrite: boolean; headers: Record<string, string>; onProgress(p: UploadProgress): void },
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<{ path: string; size: number }>((resolve, reject) => {
    xhr.open('POST', uploadUrl(dir, name, opts.overwrite));
    for (const [k, v] of Object.entries(opts.headers)) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (ev) => opts.onProgress({ loaded: ev.loaded, total: ev.lengthComputable ? ev.total : file.size });
    xhr.onload = () => {
      if (xhr.status === 201) {
        try {
          const body = JSON.parse(xhr.responseText) as { path: string; size: number };
          resolve({ path: String(body.path), size: Number(body.size) });
        } catch {
          reject(new ApiError(xhr.status, 'bad_response', 'The server sent a body that is not JSON'));
        }
      } else reject(errorFrom(xhr));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'Cannot reach the Porthole server'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'Upload cancelled'));
    xhr.send(file);
  });
  return { done, cancel: () => xhr.abort() };
}
