import Papa from 'papaparse';
import { useState } from 'preact/hooks';
import { PriorGrantImport } from '../../../../schemas/api';
import { usccCheckCharacter } from '../../../../functions/domain/identity';
import { ApiError, api } from '../../api';
import { ErrorSummary, Loading, Notice, useAction } from '../../components';
import { zodIssues } from '../../schema-form';
import { decodeText, headerKey, valueKey } from '../../imports';
import { FIELD_LABELS, VALUE_LABELS } from '../../labels';
import { GRANT_LEVEL_LABELS } from '../../../../functions/domain/labels';
import { SUBJECT_TYPES } from '../../../../functions/domain/vocabulary';
import { GRANT_LEVELS } from '../../../../functions/domain/benefit-ledger';

const LEDGER_COLUMNS = ['grantId', 'subjectType', 'subjectId', 'category', 'period', 'amount', 'policy', 'grantedOn', 'level', 'uscc'] as const;
const OPTIONAL_COLUMNS: readonly string[] = ['period', 'uscc'];
/** The columns' Chinese names: the domain's field labels, with the two that mean something else in an import. */
const COLUMN_LABELS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(LEDGER_COLUMNS.map((column) => [column, FIELD_LABELS[column] ?? column])),
  amount: '金额',
  level: '支持级别',
  uscc: '所属企业统一社会信用代码',
};
const SAMPLE_USCC = `91140500MA0K00000${usccCheckCharacter('91140500MA0K00000')}`;
// Headers "中文(key)" (API.md): people read the Chinese, the import matches the key.
const LEDGER_TEMPLATE = `${LEDGER_COLUMNS.map((column) => `${COLUMN_LABELS[column]}(${column})`).join(',')}\nG-2024-001,企业,${SAMPLE_USCC},startup-capital,,200000.00,市级创业资金（2024）,2024-06-30,市级,\n`;
const IMPORT_CHUNK = 100;

interface ImportRow {
  line: number;
  grantId: string;
  status: 'imported' | 'already-imported';
}

/** 台账导入: grants made before this system or under other policies, so that 就高不重复 counts them. */
export function LedgerImport() {
  const [rows, setRows] = useState<ImportRow[]>([]);
  const [fileName, setFileName] = useState('');
  const action = useAction();

  async function importFile(file: File) {
    setRows([]);
    setFileName(file.name);
    await action.run(async () => {
      const { text } = decodeText(new Uint8Array(await file.arrayBuffer()));
      const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => headerKey(h.replace(/^\ufeff/, ''), COLUMN_LABELS) });
      const missing = LEDGER_COLUMNS.filter((column) => !OPTIONAL_COLUMNS.includes(column) && !parsed.meta.fields?.includes(column));
      if (missing.length) throw new Error(`文件缺少列：${missing.map((column) => COLUMN_LABELS[column]).join('、')}（第一行应为列名，见模板）`);
      // Every row is checked before anything is sent: a file is imported whole or not at all.
      const issues: { path: string; message: string }[] = [];
      const grants = parsed.data.map((row, index) => {
        const grant = Object.fromEntries(
          LEDGER_COLUMNS.map((column) => [column, row[column]?.trim() || undefined]).filter(([, value]) => value !== undefined),
        );
        // Closed vocabularies may be written in Chinese (企业, 市级).
        if (grant.subjectType) grant.subjectType = valueKey(grant.subjectType, SUBJECT_TYPES, VALUE_LABELS);
        if (grant.level) grant.level = valueKey(grant.level, GRANT_LEVELS, GRANT_LEVEL_LABELS);
        const result = PriorGrantImport.safeParse(grant);
        if (!result.success) for (const issue of zodIssues(result.error)) issues.push({ path: '', message: `第 ${index + 2} 行 ${COLUMN_LABELS[issue.path] ?? ''}：${issue.message}` });
        return grant;
      });
      if (parsed.errors.length) for (const error of parsed.errors) issues.push({ path: `第 ${(error.row ?? 0) + 2} 行`, message: error.message });
      if (issues.length) throw new ApiError(400, 'VALIDATION_ERROR', `${file.name} 有 ${issues.length} 处错误，未导入任何记录`, issues);
      if (grants.length === 0) throw new Error('文件中没有记录');
      const imported: ImportRow[] = [];
      for (let start = 0; start < grants.length; start += IMPORT_CHUNK) {
        const result = await api<{ items: { grantId: string; status: ImportRow['status'] }[] }>('POST', '/ledger/grants', { grants: grants.slice(start, start + IMPORT_CHUNK) });
        result.items.forEach((item, i) => imported.push({ line: start + i + 2, ...item }));
      }
      setRows(imported);
      const fresh = imported.filter((row) => row.status === 'imported').length;
      return `已导入 ${fresh} 条，${imported.length - fresh} 条此前已导入`;
    });
  }

  const templateUrl = URL.createObjectURL(new Blob(['\ufeff', LEDGER_TEMPLATE], { type: 'text/csv;charset=utf-8' }));
  return (
    <section>
      <h2>台账导入</h2>
      <p class="lead">导入本系统之外已发放的支持（CSV，UTF-8 或 GBK 编码均可），就高不重复时一并计入。同一记录编号重复导入不会重复记账。</p>
      <p>
        <a href={templateUrl} download="ledger-import-template.csv">
          下载 CSV 模板
        </a>
        ：列为 {LEDGER_COLUMNS.map((column) => COLUMN_LABELS[column]).join('、')}；主体类型为 {SUBJECT_TYPES.map((type) => VALUE_LABELS[type] ?? type).join('、')}；支持级别为{' '}
        {GRANT_LEVELS.map((level) => GRANT_LEVEL_LABELS[level]).join('、')}（只有市级、县级支持参与就高不重复扣减）。
      </p>
      <div class="field">
        <label for="ledger-file">选择 CSV 文件</label>
        <input
          id="ledger-file"
          type="file"
          accept=".csv,text/csv"
          disabled={action.busy}
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            if (file) void importFile(file);
            event.currentTarget.value = '';
          }}
        />
      </div>
      {action.busy ? <Loading what={` ${fileName}`} /> : null}
      <ErrorSummary error={action.error} title="导入失败" />
      {action.message ? <Notice>{action.message}</Notice> : null}
      {rows.length ? (
        <div class="table-wrap">
          <table>
            <caption>{fileName} 导入结果</caption>
            <thead>
              <tr>
                <th scope="col">行</th>
                <th scope="col">记录编号</th>
                <th scope="col">结果</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr>
                  <td>{row.line}</td>
                  <td>{row.grantId}</td>
                  <td>{row.status === 'imported' ? '已导入' : '此前已导入'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
