// 到位资金: the recognition rule's words, the headline figure, the evidence intake and the 核查 card.
export default {
  // The rule (认定口径) every funds figure names (seed 002: "全市市外1000万元以上有资金到位的项目").
  'funds.origin.outside_city': '市外',
  'funds.origin.outside_province': '省外',
  'funds.min_wan': '{{value}}万元以上',
  'funds.headline': '{{rule}}有资金到位的项目{{count}}个，实现到位资金{{amount}}',
  'funds.rule_note': '认定口径：{{rule}}，仅计已核实的到位资金',
  'funds.section_year': '本年{{headline}}',
  // Evidence (进账单, 验资报告) sent to the bot as an image or a file.
  'funds.evidence_attached': '已将凭证附到“{{project}}”{{date}}报送的到位资金 {{amount}}，等待核查人员核实。',
  'funds.evidence_none': '您目前没有待核实、尚未附凭证的到位资金记录。请先在填报表单中填写“到位资金”，再发送进账单或验资报告的图片或文件。',
  // The 核查 card.
  'funds.check.title': '到位资金核查 · {{scope}}',
  'funds.check.subtitle': '待核实 {{total}} 笔',
  'funds.check.intro':
    '以下 {{count}} 笔到位资金由项目责任人报送。请逐笔核对凭证：相符的点“核实”，计入到位资金；不符的填写退回原因后点“退回”。',
  'funds.check.none': '{{scope}}目前没有待核查的到位资金。',
  // One entry, one fact a line, so that a phone never breaks a date or an amount in the middle (issue 17).
  'funds.check.line': '**{{project}}**（{{code}}）\n到位 **{{amount}}** · {{date}}\n报送人：{{reporter}} · 凭证：{{evidence}}',
  'funds.check.evidence_missing': '未附凭证',
  'funds.check.evidence_image': '图片 {{name}}',
  'funds.check.evidence_file': '文件 {{name}}',
  'funds.check.verify': '核实',
  'funds.check.reject': '退回',
  'funds.check.reason_label': '退回原因（退回时必填）',
  'funds.check.reason_placeholder': '如：进账单金额与报送不符',
  'funds.check.not_checker': '只有到位资金核查人员可以核查。如需开通，请联系管理员在台账中登记“核查”角色。',
  'funds.check.verified': '已核实：{{project}} {{amount}}',
  'funds.check.rejected': '已退回：{{project}} {{amount}}，原因已发给项目责任人',
  'funds.check.not_found': '没有找到该笔到位资金',
  'funds.check.own_entry': '不能核查本人报送或本人负责项目的到位资金',
  'funds.check.already': '该笔到位资金已核查过',
  'funds.check.reason_needed': '退回须填写原因',
  'funds.check.more': '另有 {{count}} 笔未列出，核查完上面的后再发送“核查”查看。',
  'funds.returned':
    '您报送的“{{project}}”{{date}}到位资金 {{amount}} 被核查人员退回，原因：{{reason}}。请核对后在下次填报中重新报送，并附上进账单或验资报告。',
  // The rule as the 到位资金 lines of the status card and the weekly digest name it (issue 16).
  'funds.rule_line': '{{rule}}项目，已核实',
  'funds.rule_line_all': '全部项目，已核实',
  'funds.rule_separator': '、',
  // 查看凭证 on the 核查 card (issue 16): the evidence sent to the checker in p2p
  'funds.check.open_image': '查看凭证图片',
  'funds.check.open_file': '下载凭证文件 {{name}}',
  'funds.check.evidence_sent': '凭证已发送到您与机器人的单聊',
  'funds.check.evidence_unavailable': '凭证暂时无法读取，请稍后再试或请项目责任人重新发送',
  'funds.check.evidence_title': '到位资金凭证 · {{project}}',
  'funds.check.evidence_alt': '{{project}} {{date}} 到位 {{amount}} 的凭证',
  'funds.check.evidence_line': '**{{project}}** {{date}} 到位 {{amount}}',
  'funds.check.evidence_file_name': '{{project}}-{{date}}-凭证',
} as const;
