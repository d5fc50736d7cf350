// Generic texts shared by several features.
export default {
  'common.yes': '是',
  'common.no': '否',
  'common.none': '无',
  'common.unknown_error': '抱歉，处理时出现了问题，请稍后重试。如多次失败，请联系管理员。（错误编号 {{ref}}）',
} as const;
