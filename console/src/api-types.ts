import type { z } from 'zod';
import type * as Api from '../../schemas/api';

/** What the API answers, typed from its own zod schemas: a changed contract is a compile error here. */
export type Application = z.output<typeof Api.Application>;
export type Task = z.output<typeof Api.Task>;
export type ApplicationEvent = z.output<typeof Api.ApplicationEvent>;
export type Quote = z.output<typeof Api.Quote>;
export type ProgramInfo = z.output<typeof Api.ProgramInfo>;
export type Batch = z.output<typeof Api.Batch>;
export type BatchItem = Batch['items'][number];
/** A batch as listed (GET /batches): without its items. */
export type BatchSummary = Omit<Batch, 'items' | 'nextToken'>;
export type Notification = z.output<typeof Api.Notification>;
export type Objection = z.output<typeof Api.Objection>;
export type DocumentView = z.output<typeof Api.DocumentView>;
export type DocumentUpload = z.output<(typeof Api.ENDPOINTS)['createDocument']['responses'][201]['schema']>;
