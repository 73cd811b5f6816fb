import type { Context } from 'aws-lambda';

/**
 * A test-only Lambda handler for the local Lambda service's limits: what it does is chosen by the
 * event (or, for the workflow's steps, by the function it runs as, from AWS_LAMBDA_FUNCTION_NAME).
 */
type Event =
  | { action: 'env' }
  | { action: 'sleep'; ms: number }
  | { action: 'spin'; ms: number }
  | { action: 'echo'; data: unknown }
  | { action: 'bytes'; length: number }
  | { action: 'fail'; message: string }
  | { action: 'hog' }
  | { action: 'http'; status: number; body: string }
  | { applicationId: string }
  | { source: 'aws.events'; 'detail-type': string };

const hoard: unknown[] = [];

export async function handler(event: Event, context: Context): Promise<unknown> {
  if ('applicationId' in event) return workflowStep(event.applicationId);
  // A scheduled run: echoed, except by a function named Failing….
  if ('source' in event) {
    if (context.functionName.startsWith('Failing')) throw new Error('scheduled run failed');
    return event;
  }
  switch (event.action) {
    case 'env':
      return { env: { ...process.env }, remainingMs: context.getRemainingTimeInMillis(), memoryLimitInMB: context.memoryLimitInMB, functionName: context.functionName };
    case 'sleep':
      await new Promise((resolve) => setTimeout(resolve, event.ms));
      return { slept: event.ms, remainingMs: context.getRemainingTimeInMillis() };
    case 'spin': {
      // Busy: only stopping the sandbox ends this.
      const until = Date.now() + event.ms;
      while (Date.now() < until);
      return { spun: event.ms };
    }
    case 'echo':
      return event.data;
    case 'bytes':
      // A JSON string of exactly `length` bytes, quotes included.
      return 'x'.repeat(event.length - 2);
    case 'fail':
      throw new Error(event.message);
    case 'hog':
      for (;;) hoard.push(new Array(1_000_000).fill(hoard.length));
    case 'http':
      return { statusCode: event.status, headers: { 'content-type': 'text/plain' }, body: event.body };
  }
}

/** The workflow's steps: `SLOW-…` never finishes in time; `SIZE-<n>-…` returns an assessment padded to n characters. */
async function workflowStep(applicationId: string): Promise<unknown> {
  const step = process.env.AWS_LAMBDA_FUNCTION_NAME ?? '';
  if (step.startsWith('Assess')) {
    if (applicationId.startsWith('SLOW')) await new Promise((resolve) => setTimeout(resolve, 600_000));
    const padding = Number(/^SIZE-(\d+)-/.exec(applicationId)?.[1] ?? 0);
    return { eligible: true, amount: '1.00', department: 'kejiju', padding: 'x'.repeat(padding) };
  }
  if (step.startsWith('Grant')) return { status: 'APPROVED', amount: '1.00' };
  throw new Error(`unexpected step ${step}`);
}
