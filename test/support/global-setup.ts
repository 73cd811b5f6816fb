import { requireNodeMajor } from '../../infra/runtime.js';
import { ensureEmulator } from '../../infra/local/dynamodb-local.js';

/** Runs once before the suite: the right Node, and DynamoDB Local unpacked before workers race for it. */
export default function setup(): void {
  requireNodeMajor();
  ensureEmulator();
}
