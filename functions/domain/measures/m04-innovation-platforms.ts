import { measure, provision } from '../policy.js';
import type { PlatformKindRule } from './platform-kind.js';
import type { ParameterName } from '../parameter-defaults.js';

/** 第4条 as enacted. */
export const LAW = provision(4, '支持创建科技创新平台。对新获批的国家重点实验室、省部共建国家重点实验室、一带一路联合实验室、国家技术创新中心、国家临床医学研究中心、院士(专家)工作站等国家级科技创新平台及省实验室,给予一次性100万元建设经费支持;对新获批的省重点实验室、省临床医学研究中心、省技术创新中心、省中试基地、博士后科研工作(流动)站等省级科技创新平台,给予一次性50万元建设经费支持;对新获批的市级技术创新中心,给予一次性10万元建设经费支持。支持在沿海重点发达区域设立科创飞地,开展产业引育、科技成果转化等专业合作。(市科技局、市人社局、市科协、市财政局、晋城经济技术开发区等按职责分工负责)');

/**
 * 第4条 支持创建科技创新平台: a one-off construction grant for a newly approved platform — national
 * level and 省实验室 1,000,000; provincial 500,000; municipal technology innovation centre 100,000.
 * All share the key `platform:<id>:construction`, so an upgrade (provincial → national) pays the difference.
 */
const construction = (label: string, parameter: ParameterName): PlatformKindRule => ({
  measure: measure(4),
  label,
  category: 'construction',
  mode: 'top-up',
  newlyApproved: true,
  amount: (_details, params) => ({ amount: params.money(parameter), basis: '一次性建设经费' }),
});

export const M4_PLATFORM_KINDS = {
  'national-key-lab': construction('国家重点实验室', 'm4.national-platform.amount'),
  'joint-national-key-lab': construction('省部共建国家重点实验室', 'm4.national-platform.amount'),
  'belt-and-road-joint-lab': construction('一带一路联合实验室', 'm4.national-platform.amount'),
  'national-tech-innovation-center': construction('国家技术创新中心', 'm4.national-platform.amount'),
  'national-clinical-research-center': construction('国家临床医学研究中心', 'm4.national-platform.amount'),
  'academician-workstation': construction('院士(专家)工作站', 'm4.national-platform.amount'),
  'provincial-lab': construction('省实验室', 'm4.national-platform.amount'),
  'provincial-key-lab': construction('省重点实验室', 'm4.provincial-platform.amount'),
  'provincial-clinical-research-center': construction('省临床医学研究中心', 'm4.provincial-platform.amount'),
  'provincial-tech-innovation-center': construction('省技术创新中心', 'm4.provincial-platform.amount'),
  'provincial-pilot-base': construction('省中试基地', 'm4.provincial-platform.amount'),
  'postdoc-station': construction('博士后科研工作(流动)站', 'm4.provincial-platform.amount'),
  'municipal-tech-innovation-center': construction('市级技术创新中心', 'm4.municipal-tech-innovation-center.amount'),
} satisfies Record<string, PlatformKindRule>;
