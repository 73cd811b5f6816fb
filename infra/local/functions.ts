import type { FunctionEntry } from '../stack.js';
import { QUOTAS } from './quotas.js';

type Resource = { Type: string; Properties?: Record<string, unknown> };
export type Template = { Resources: Record<string, Resource> };

/** A Lambda function as its synthesized AWS::Lambda::Function says it runs. */
export interface LocalFunction extends FunctionEntry {
  /** The execution role's logical id (from the function's `Role` Fn::GetAtt): whose credentials it gets. */
  roleLogicalId: string;
  /** `Environment.Variables`, with their CloudFormation tokens resolved for the local stack. */
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
}

/** An EventBridge rule that invokes a function on a schedule (`rate(...)` expressions). */
export interface ScheduledRule {
  ruleLogicalId: string;
  functionLogicalId: string;
  everySeconds: number;
}

/** Resolves a `Ref` to a resource of the template to its local name or ARN. */
export type ResolveRef = (logicalId: string, resource: Resource) => string | undefined;

/**
 * Reads each function of the template: environment, timeout, memory and role, exactly as deployed.
 * A token the local stack cannot resolve fails here, rather than giving a function a wrong value.
 */
export function localFunctions(template: Template, entries: readonly FunctionEntry[], resolveRef: ResolveRef, resolveTokens: (value: unknown) => unknown): LocalFunction[] {
  const resolve = (value: unknown): string => {
    const ref = typeof value === 'object' && value !== null && Object.keys(value).length === 1 ? (value as { Ref?: unknown }).Ref : undefined;
    if (typeof ref === 'string' && template.Resources[ref]) {
      const local = resolveRef(ref, template.Resources[ref]!);
      if (local === undefined) throw new Error(`The local stack has no ${template.Resources[ref]!.Type} for Ref ${ref}`);
      return local;
    }
    return String(resolveTokens(value));
  };
  return entries.map(({ logicalId, entry }) => {
    const resource = template.Resources[logicalId];
    if (resource?.Type !== 'AWS::Lambda::Function') throw new Error(`The template has no function ${logicalId}`);
    const properties = resource.Properties ?? {};
    const variables = ((properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {});
    const role = (properties.Role as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
    if (!role) throw new Error(`Function ${logicalId} has no role of this template`);
    return {
      logicalId,
      entry,
      roleLogicalId: role,
      environment: Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, resolve(value)])),
      timeoutSeconds: Number(properties.Timeout ?? QUOTAS.lambdaDefaultTimeoutSeconds),
      memoryMb: Number(properties.MemorySize ?? QUOTAS.lambdaDefaultMemoryMb),
    };
  });
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const UNIT_SECONDS: Record<string, number> = { minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86_400, days: 86_400 };

/** The template's scheduled rules that target its functions. A cron schedule is refused: the local stack runs rates only. */
export function scheduledRules(template: Template): ScheduledRule[] {
  const rules: ScheduledRule[] = [];
  for (const [ruleLogicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Events::Rule' || !resource.Properties?.ScheduleExpression) continue;
    if (resource.Properties.State === 'DISABLED') continue;
    const expression = String(resource.Properties.ScheduleExpression);
    const rate = RATE.exec(expression);
    if (!rate) throw new Error(`Rule ${ruleLogicalId}: the local stack runs rate(...) schedules only, not ${expression}`);
    for (const target of (resource.Properties.Targets ?? []) as { Arn: { 'Fn::GetAtt'?: [string, string] } }[]) {
      const functionLogicalId = target.Arn['Fn::GetAtt']?.[0];
      if (functionLogicalId && template.Resources[functionLogicalId]?.Type === 'AWS::Lambda::Function') {
        rules.push({ ruleLogicalId, functionLogicalId, everySeconds: Number(rate[1]) * UNIT_SECONDS[rate[2]!]! });
      }
    }
  }
  return rules;
}
