// Scheduled messages: overdue warnings, escalations, ageing flags, performance reminder letters.
export default {
  'jobs.overdue_owner_title': '{{period}}项目进展逾期未报提醒',
  'jobs.overdue_owner_body':
    '{{name}}，您好！以下 **{{count}}** 个项目未在截止日期（{{deadline}}）前填报{{period}}进展，已逾期。请尽快补报：',
  'jobs.overdue_lead_title': '{{unit}} · {{period}}项目进展逾期情况',
  'jobs.overdue_lead_body':
    '{{name}}，您好！贵单位以下 **{{count}}** 个项目逾期未报{{period}}进展（截止 {{deadline}}），请督促责任人尽快补报：',
  'jobs.overdue_group_title': '督办：{{period}}项目进展逾期未报名单',
  'jobs.overdue_group_body':
    '截至 {{today}}，本群范围内共有 **{{count}}** 个项目逾期未报{{period}}进展（截止 {{deadline}}），按单位列示如下：',
  'jobs.overdue_line': '- {{name}}（{{code}}），责任人：{{owner}}',
  'jobs.overdue_unit_heading': '**{{unit}}**（{{count}}个）',
  'jobs.ageing_owner_title': '项目推进预警：长期无实质性进展',
  'jobs.ageing_owner_body': '{{name}}，您好！您负责的以下项目已超过规定时限没有实质性进展：',
  'jobs.ageing_line': '- **{{project}}**（{{code}}）：{{text}}，最近一次实质性进展 {{last}}',
  'jobs.ageing_options':
    '根据《吉林省招商引资综合改革实施方案》，洽谈超过半年仍无实质性进展的项目，可通过招商引资服务促进机制协调转由其他地区再行洽谈；对推进缓慢的项目，可成立包保服务专班加强服务。请在本月填报中说明推进计划或需要协调的问题。',
  'jobs.ageing_lead_title': '{{unit}} · 长期无实质性进展项目',
  'jobs.ageing_lead_body': '{{name}}，您好！贵单位以下 **{{count}}** 个项目超过规定时限没有实质性进展，请研究推进措施：',
  'jobs.ageing_group_title': '督办：长期无实质性进展项目',
  'jobs.ageing_group_body': '以下 **{{count}}** 个项目超过规定时限没有实质性进展，按责任单位（首谈单位）列示，请研究推进措施：',
  'jobs.letter_title': '履约提醒函 · {{project}}',
  'jobs.letter_body': [
    '**履约提醒函**',
    '',
    '{{investor}}：',
    '',
    '贵方投资建设的 **{{project}}**（项目编号 {{code}}）于 {{signed_on}} 签约，合同约定于 {{due}} 前开工建设。截至 {{today}}，项目尚未按约定开工。',
    '',
    '请贵方对照合同约定，尽快启动项目建设，并于收到本函后15个工作日内书面反馈项目推进计划及存在的困难问题。{{host}}将继续做好要素保障和服务工作。',
    '',
    '{{host}}招商引资服务促进机制',
    '{{today}}',
  ].join('\n'),
  'jobs.letter_notice': '已生成履约提醒函（{{project}}，未按期开工），请项目责任人送达投资方，并跟踪落实情况。',
  'jobs.letter_list_title': '未关闭的履约提醒函（{{count}}份）',
  'jobs.letter_list_line': '- **{{project}}**（{{code}}）：{{reason}}，{{issued}}发出',
  'jobs.letter_reason.start_overdue': '未按约定开工',
  'jobs.letter_none': '目前没有未关闭的履约提醒函。',
  'jobs.letter_close_hint': '项目履约后，发送“/letter 关闭 项目名称或编号 落实情况”关闭提醒函。',
  'jobs.letter_close_usage': '用法：/letter 关闭 项目名称或编号 落实情况（如：/letter 关闭 梅花鹿主题乐园 已于11月10日开工）',
  'jobs.letter_closed': '已关闭 **{{project}}** 的履约提醒函。落实情况：{{closure}}',
  'jobs.letter_not_found': '没有找到与“{{text}}”匹配、且您有权处理的未关闭履约提醒函。',
  // npm run job -- list: what each job does
  'jobs.description.overdue': '逾期督办：截止日后第1个工作日提醒责任人，再过3个工作日通报单位负责人和机制群',
  'jobs.description.ageing': '长期无实质性进展预警：洽谈、意向阶段超过180天无实质性进展的项目，每月提醒责任人和单位负责人',
  'jobs.description.letters': '履约提醒函：已签约项目超过约定开工日期仍未开工的，生成提醒函并发送责任人和单位负责人',
  'jobs.description.housekeeping': '日常清理：删除7天前的事件去重记录和90天前已发送的消息记录',
  // npm run job (src/cli/job.ts)
  'jobs.cli.usage': '用法：npm run job -- list | npm run job -- run <任务名> [--at <ISO时间>]',
  'jobs.cli.unknown_job': '没有名为 {{name}} 的任务。可用任务：{{names}}',
  'jobs.cli.bad_at': '--at 不是有效的时间：{{at}}（示例：2026-11-13T09:00:00+08:00）',
} as const;
