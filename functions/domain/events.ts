import type { Yuan } from './money.js';
import type { ParametersInForce } from './parameters.js';
import { type Reason, reason } from './reasons.js';
import type { ParameterName } from './parameter-defaults.js';

/**
 * POLICY.md §5.2: every rewarded event has a date inside the policy window. Before it (or after its
 * end) → EVENT_BEFORE_POLICY; after the submission → CONDITION_NOT_MET.
 */
export function eventDateReasons(what: string, date: string, params: ParametersInForce, submittedOn: string): Reason[] {
  const from = params.get('policy.in-force-from');
  const until = params.get('policy.in-force-until');
  if (date > submittedOn) return [reason('CONDITION_NOT_MET', `${what} ${date} 晚于申请日期 ${submittedOn}。`)];
  if (date < from || date > until) return [reason('EVENT_BEFORE_POLICY', `${what} ${date} 不在本措施施行期（${from} 至 ${until}）内。`)];
  return [];
}

/**
 * §5.10: a self-declared amount (a provincial award to match, a team's award, a provincial standard)
 * above its bound is refused; at or above the review flag it is pointed out to the reviewer.
 */
export function declaredAmountCheck(
  what: string,
  amount: Yuan,
  maxParameter: ParameterName,
  params: ParametersInForce,
  cited: string,
): { reasons: Reason[]; notes: { label: string; basis: string; measure: string }[] } {
  const max = params.money(maxParameter);
  const flag = params.money('review.declared-amount.flag');
  if (amount.greaterThan(max)) {
    return { reasons: [reason('CONDITION_NOT_MET', `申报的${what} ${amount.toFixed(2)} 元超过上限 ${max.toFixed(2)} 元（参数 ${maxParameter}）。`)], notes: [] };
  }
  if (amount.greaterThanOrEqualTo(flag)) {
    return { reasons: [], notes: [{ label: `提请审核：申报的${what}较大`, basis: `${amount.toFixed(2)} 元，达到核验提示线 ${flag.toFixed(2)} 元，请核对证明材料`, measure: cited }] };
  }
  return { reasons: [], notes: [] };
}
