import { currentToken, session } from './auth';

/** An error answered by the API, in its contract's shape: {"error":{"code","message","issues"?}}. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
    readonly body?: unknown,
  ) {
    super(message);
  }
}

const NETWORK_MESSAGE = '无法连接服务器，请检查网络后重试';

/** Calls the public API with the signed-in user's token. Paths are relative: the console and the API share an origin. */
export async function api<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await send(method, path, body, headers);
  const text = await response.text();
  const parsed = text ? safeJson(text) : undefined;
  if (!response.ok) throw toError(response, parsed);
  return parsed as T;
}

/** Every page of a listing, for views that total a whole list (finance). */
export async function apiAll<T = any>(path: string, limit = 100): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await api<{ items: T[]; nextToken?: string }>(
      'GET',
      `${path}${separator}limit=${limit}${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`,
    );
    items.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return items;
}

/** A file the API answers (payment files): saved through a temporary object URL. */
export async function download(path: string, fallbackName: string): Promise<{ name: string; sha256: string | null; bytes: number }> {
  const response = await send('GET', path);
  if (!response.ok) throw toError(response, safeJson(await response.text()));
  const blob = await response.blob();
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: decodeURIComponent(name) });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { name: decodeURIComponent(name), sha256: response.headers.get('x-content-sha256'), bytes: blob.size };
}

/**
 * Opens a file the API answers with a redirect to a presigned link (申报材料) in a new tab. A plain link
 * would carry no token, so the file is fetched (the redirect followed) and shown from an object URL.
 * The tab is opened first, inside the click, so that the browser does not block it.
 */
export async function openInNewTab(path: string): Promise<void> {
  const tab = window.open('', '_blank');
  try {
    const response = await send('GET', path);
    if (!response.ok) throw toError(response, safeJson(await response.text()));
    const url = URL.createObjectURL(await response.blob());
    if (tab) tab.location.href = url;
    else location.href = url;
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (error) {
    tab?.close();
    throw error;
  }
}

async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const token = await currentToken();
  try {
    return await fetch(path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', NETWORK_MESSAGE);
  }
}

function toError(response: Response, body: any): ApiError {
  if (response.status === 401) session.expire();
  const error = body?.error;
  return new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? `请求失败（${response.status}）`, error?.issues ?? [], body);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
