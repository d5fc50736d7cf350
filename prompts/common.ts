// Generic texts shared by several features.
export default {
  'common.none': '无',
} as const;
