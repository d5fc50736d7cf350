import { hostShouldHear } from '../domain/host-notice.js';
import type { Tx } from '../store/db.js';
import { problemsOfReport } from '../store/host-notice.js';
import type { Outgoing } from '../store/messages.js';
import { unitLeads } from '../store/transfers.js';
import { t } from '../text.js';

/**
 * The notices to the host unit's leads for the problems a report recorded that are the host's to solve
 * (src/domain/host-notice.ts). Keyed by report and lead: once per problem, however often the report is edited.
 */
export async function hostNotices(tx: Tx, reportId: number): Promise<Outgoing[]> {
  const out: Outgoing[] = [];
  for (const p of await problemsOfReport(tx, reportId)) {
    if (!hostShouldHear(p)) continue;
    for (const lead of await unitLeads(tx, p.hostUnitId!)) {
      if (!lead.openId) continue;
      out.push({
        to: 'user',
        openId: lead.openId,
        content: {
          msgType: 'text',
          text: t('report.host_problem_notice', {
            host: p.hostName ?? '',
            project: p.project,
            code: p.code,
            category: t(`status.category.${p.category}`),
            description: p.description,
            unit: p.mustActName ?? t('common.none'),
          }),
        },
        key: `problem-host:${reportId}:${lead.id}`,
      });
    }
  }
  return out;
}
